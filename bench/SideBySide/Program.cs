using System.Text.Json;
using NodeDsl.Runtime;
using NodeDsl.SideBySide;
using TorchSharp;
using static TorchSharp.torch;

// The NodeDsl side of bench/SideBySide/side_by_side.py: reads the shared setup, answers a banner line, then one JSON
// line per configuration line read from stdin (errors come back as {"error": ...} so the script can say what failed).
//   dotnet NodeDsl.SideBySide.dll --setup <setup.json> [--backend torch|native]
// With --profile <solver>:<dtype>:<iterations> it prints where a TorchSharp-backend direct iteration goes instead
// (SpiralDemoProfile).
string? setupPath = null;
string? profile = null;
string backend = "torch";
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--setup": setupPath = args[i + 1]; break;
        case "--backend": backend = args[i + 1]; break;
        case "--profile": profile = args[i + 1]; break;
        default: Console.Error.WriteLine($"Unknown option {args[i]}; use --setup <file> [--backend torch|native] [--profile solver:dtype:iterations]."); return 2;
    }
}
if (setupPath is null) { Console.Error.WriteLine("Missing --setup <file> (written by side_by_side.py)."); return 2; }

torch.set_num_threads(1);
var setup = SideBySideSetup.Load(setupPath);
if (profile?.Split(':') is [var profileSolver, var profileDType, var profileIterations])
{
    SpiralDemoProfile.Run(setup, profileSolver, profileDType, int.Parse(profileIterations, System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}
Reply(new { banner = $"NodeDsl ({backend} backend) on TorchSharp {typeof(torch).Assembly.GetName().Version}, .NET {Environment.Version}" });
string? line;
while ((line = Console.ReadLine()) is not null)
{
    try
    {
        var config = JsonSerializer.Deserialize<TrainingConfig>(line) ?? throw new InvalidDataException("Empty configuration line.");
        Reply(SpiralDemoTraining.Run(setup, config, ModelOptionsFor(config.DType), BackendFor(backend)));
    }
    catch (Exception e) when (e is not OutOfMemoryException)
    {
        Reply(new { error = $"{e.GetType().Name}: {e.Message}" });
    }
}
return 0;

static void Reply(object value) => Console.WriteLine(JsonSerializer.Serialize(value));

static ModelOptions ModelOptionsFor(string dtype) => new()
{
    DType = dtype switch
    {
        "float32" => ScalarType.Float32,
        "float64" => ScalarType.Float64,
        _ => throw new ArgumentException($"Unknown dtype '{dtype}': use float32 or float64."),
    },
};

// The backend is a command-line choice: each side-by-side run measures one backend (SolverOptions.Backend).
static Backend BackendFor(string backend) => backend switch
{
    "torch" => Backend.Torch,
    "native" => Backend.Native,
    _ => throw new ArgumentException($"Unknown backend '{backend}': use torch or native."),
};
