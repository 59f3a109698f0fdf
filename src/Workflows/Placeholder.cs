namespace Exit.Workflows; internal static class Placeholder {}
