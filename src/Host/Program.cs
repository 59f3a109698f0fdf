using Exit.Host.Studio;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health", () => "ok");
app.MapStudio();
app.Run();

public partial class Program;
