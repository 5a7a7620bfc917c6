using MyModel;
using NodeDsl.Runtime;

// Fits the oscillator model to data from the true system and reports the loss and the learned frequency.
// Usage: dotnet run [-- EPOCHS]
int epochs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200;
var model = new Oscillator(ModelOptions.Float64(seed: 1));
var data = OscillatorTraining.Data();
var (before, after, result) = OscillatorTraining.Fit(model, data, epochs);
Console.WriteLine($"{result.Message} Mean squared error {before:G4} -> {after:G4}.");
Console.WriteLine($"Learned omega = {OscillatorTraining.Omega(model):F4} (truth {OscillatorTraining.TrueOmega}).");
