namespace NodeDsl.Generators.Parsing;

/// <summary>
/// Shape inference for networks, a pass of its own after translation: a Vec parameter takes its size, and a Vec result
/// without OutputSize its width, from the calls in the rate or energy body. Every call must agree with the first (NODE009),
/// and a network whose sizes come from calls must be called (NODE015).
/// </summary>
internal static class NetworkShapes
{
    /// <summary>The network specs of <paramref name="declarations"/>, sized by <paramref name="uses"/>.</summary>
    public static EquatableArray<NetworkSpec> Infer(IReadOnlyList<NeuralDeclaration> declarations, IReadOnlyList<NetworkUse> uses, DiagnosticBag diagnostics)
    {
        var specs = new List<NetworkSpec>();
        for (int index = 0; index < declarations.Count; index++)
        {
            var decl = declarations[index];
            var name = decl.Method.Name;
            var calls = uses.Where(u => u.Network == name).ToList();
            var parameters = new List<NetworkParameterSpec>();
            for (int i = 0; i < decl.Method.Parameters.Length; i++)
            {
                var p = decl.Method.Parameters[i];
                var shape = SymbolNames.IsVec(p.Type) ? VectorSize(decl, i, calls, diagnostics) : Shape.Scalar;
                parameters.Add(new NetworkParameterSpec(p.Name, shape));
            }
            int inputSize = parameters.Sum(p => p.Shape.Width);
            if (decl.DeclaredOutputSize == 0 && calls.Count == 0 && !diagnostics.HasErrors)
                diagnostics.Add(DiagnosticDescriptors.InvalidNeural, decl.Method.Locations.FirstOrDefault(), name,
                    $"its output size is taken from the calls, but the rates never call '{name}'; set OutputSize or remove it");
            specs.Add(new NetworkSpec(name, index, decl.Modifiers, parameters.ToEquatableArray(), decl.Returns,
                decl.TupleNames.ToEquatableArray(), inputSize, decl.OutputSize(inputSize), decl.Module));
        }
        return specs.ToEquatableArray();
    }

    // The size of Vec parameter i: the first call's, which every later call must repeat.
    static Shape VectorSize(NeuralDeclaration decl, int i, List<NetworkUse> calls, DiagnosticBag diagnostics)
    {
        var p = decl.Method.Parameters[i];
        if (calls.Count == 0)
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidNeural, decl.Method.Locations.FirstOrDefault(), decl.Method.Name,
                $"the size of Vec parameter '{p.Name}' is taken from the calls, but the rates never call '{decl.Method.Name}'; call it or remove it");
            return Shape.Vector(0);
        }
        var first = calls[0].Arguments[i];
        foreach (var call in calls.Skip(1))
            if (call.Arguments[i] != first)
                diagnostics.Add(DiagnosticDescriptors.SizeMismatch, call.ArgumentLocations[i],
                    $"parameter '{p.Name}' of '{decl.Method.Name}' got {first.Width.ToString(CultureInfo.InvariantCulture)} components in an earlier call and {call.Arguments[i].Width.ToString(CultureInfo.InvariantCulture)} here");
        return first;
    }
}
