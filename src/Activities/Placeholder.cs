namespace Exit.Activities; internal static class Placeholder {}
