using NodeDsl.Generators.Symbolic;

namespace NodeDsl.Generators.Parsing;

/// <summary>
/// Part of <see cref="Parser"/>: [LagrangianModel] (Cranmer et al. 2020, "Lagrangian Neural Networks", arXiv 2003.04630).
/// The Euler–Lagrange equations d/dt ∂L/∂q̇ = ∂L/∂q give M q̈ = ∇qL − C q̇ − ∂²L/∂q̇∂t with the mass matrix
/// M = ∂²L/∂q̇∂q̇ and C = ∂²L/∂q̇∂q; the parser derives M, C and ∇qL of the known terms symbolically and leaves the
/// network terms to autograd in the emitted code (<see cref="LagrangianSpec"/>).
/// </summary>
internal sealed partial class Parser
{
    bool IsNotLagrangianRole(IFieldSymbol field, string role)
    {
        if (role is not (SymbolNames.State or SymbolNames.Augmented or SymbolNames.Momentum)) return false;
        diagnostics.Add(DiagnosticDescriptors.LagrangianStructure, field.Locations.FirstOrDefault(), type.Name,
            $"'{field.Name}' is a [{Short(role)}]; a Lagrangian model's states are [Coordinate] fields and their [Velocity] fields");
        return true;
    }

    EnergyDeclaration? FindLagrangian(Location? anchor)
    {
        var kinetic = velocities.Count == 0 ? "qDot * qDot / 2" : string.Join(" + ", velocities.Select(v => $"{v.Field.Name} * {v.Field.Name} / 2"));
        return FindScalarMember(anchor, SymbolNames.Lagrangian, DiagnosticDescriptors.LagrangianStructure,
            $"it has no [Lagrangian] member: add '[Lagrangian] double L => {kinetic} - …;' (kinetic minus potential energy)",
            "it has more than one [Lagrangian] member; keep one");
    }

    /// <summary>The symbolic Euler–Lagrange parts of the known terms, and the network terms left to autograd.</summary>
    LagrangianSpec? EulerLagrange(EnergySpec lagrangian, List<StateSpec> layout)
    {
        var location = type.GetMembers(lagrangian.MemberName).FirstOrDefault()?.Locations.FirstOrDefault();
        var q = layout.Where(s => s.Role == StateRole.Coordinate).Select(s => s.Leaf).ToList();
        var qdot = q.Select(c => layout.First(s => s.Name == velocities.First(v => v.Position == c.Name).Field.Name).Leaf).ToList();
        Expr known = Build.Zero;
        Expr? network = null;
        foreach (var (term, negative) in Terms(lagrangian.Energy, false))
        {
            if (ExprWalk.CallsNetwork(term)) network = network is null ? (negative ? Build.Negate(term) : term) : negative ? Build.Subtract(network, term) : Build.Add(network, term);
            else known = negative ? Build.Subtract(known, term) : Build.Add(known, term);
        }

        Expr? D(Expr e, Ref v)
        {
            var d = Derivative.Of(e, v, out var why);
            // Known terms call no network, so every rule applies; NODE016 only guards a rule added to the IR without a derivative.
            if (d is null) diagnostics.Add(DiagnosticDescriptors.NotDifferentiable, location, v.Name, why);
            return d;
        }

        if (q.Any(c => c.IsVector)) return VectorEulerLagrange(lagrangian, location, q, qdot, known, network);

        int n = q.Count;
        var force = q.Select(c => D(known, c)).ToList();
        var momenta = qdot.Select(v => D(known, v)).ToList();
        if (diagnostics.HasErrors) return null;
        var mass = new List<Expr?>();
        var mixed = new List<Expr?>();
        var timeMixed = new List<Expr?>();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) mass.Add(D(momenta[i]!, qdot[j]));
            for (int j = 0; j < n; j++) mixed.Add(D(momenta[i]!, q[j]));
            if (timeField is not null) timeMixed.Add(D(momenta[i]!, Ref.Time(timeField)));
        }
        if (diagnostics.HasErrors) return null;

        // A velocity in no quadratic known term and in no network term leaves a zero row of M at every state.
        for (int i = 0; i < n; i++)
            if (Enumerable.Range(0, n).All(j => Build.IsZero(mass[i * n + j]!)) && (network is null || !ExprWalk.Reads(network, qdot[i])))
                diagnostics.Add(DiagnosticDescriptors.SingularMassMatrix, location, type.Name, qdot[i].Name);
        if (diagnostics.HasErrors) return null;

        return new LagrangianSpec(lagrangian.MemberName, lagrangian.IsMethod, lagrangian.Energy,
            q.Select(r => r.Name).ToEquatableArray(), qdot.Select(r => r.Name).ToEquatableArray(),
            force.Select(e => e!).ToEquatableArray(), mass.Select(e => e!).ToEquatableArray(), mixed.Select(e => e!).ToEquatableArray(),
            timeMixed.Select(e => e!).ToEquatableArray(), network);
    }

    /// <summary>
    /// The Euler–Lagrange parts of known terms over Vec coordinates: ∇qL and p = ∇q̇L by reverse mode (<see cref="Gradient"/>,
    /// one vector per block), then one row of M and C per component of p (the gradient of that component with respect to
    /// each velocity and coordinate block), so M and C stay N×N row-major over the N = Σ sizes components.
    /// </summary>
    LagrangianSpec? VectorEulerLagrange(EnergySpec lagrangian, Location? location, List<Ref> q, List<Ref> qdot, Expr known, Expr? network)
    {
        Expr? G(Expr e, Ref v)
        {
            var d = Gradient.Of(e, v, out var why);
            if (d is null) diagnostics.Add(DiagnosticDescriptors.NotDifferentiable, location, v.Name, why);
            return d;
        }

        var force = q.Select(c => G(known, c)).ToList();
        var momenta = qdot.Select(v => G(known, v)).ToList();
        if (diagnostics.HasErrors) return null;
        var mass = new List<Expr>();
        var mixed = new List<Expr>();
        var timeMixed = new List<Expr>();
        for (int i = 0; i < qdot.Count; i++)
        {
            for (int k = 0; k < qdot[i].Width; k++)
            {
                var component = Component(momenta[i]!, k);
                var massRow = qdot.Select(v => G(component, v)).ToList();
                var mixedRow = q.Select(c => G(component, c)).ToList();
                if (diagnostics.HasErrors) return null;
                // A velocity component in no quadratic known term and in no network term leaves a zero row of M at every state.
                if (massRow.All(e => IsAllZero(e!)) && (network is null || !ExprWalk.Reads(network, qdot[i])))
                    diagnostics.Add(DiagnosticDescriptors.SingularMassMatrix, location, type.Name, ComponentName(qdot[i], k));
                mass.AddRange(massRow.Select(e => e!));
                mixed.AddRange(mixedRow.Select(e => e!));
            }
            if (timeField is not null)
            {
                var dt = Derivative.Of(momenta[i]!, Ref.Time(timeField), out var why);
                if (dt is null) diagnostics.Add(DiagnosticDescriptors.NotDifferentiable, location, timeField, why);
                else timeMixed.Add(Widen(dt, qdot[i].Width));
            }
        }
        if (diagnostics.HasErrors) return null;
        return new LagrangianSpec(lagrangian.MemberName, lagrangian.IsMethod, lagrangian.Energy,
            q.Select(r => r.Name).ToEquatableArray(), qdot.Select(r => r.Name).ToEquatableArray(),
            force.Select(e => e!).ToEquatableArray(), mass.ToEquatableArray(), mixed.ToEquatableArray(), timeMixed.ToEquatableArray(), network);
    }

    // Component k of a scalar (k = 0) or vector expression.
    static Expr Component(Expr e, int k) => e switch
    {
        { IsVector: false } => e,
        Concat c when c.Parts.All(p => !p.IsVector) => c.Parts[k],
        _ => new Slice(e, k, 1, true),
    };

    static string ComponentName(Ref r, int k) => r.IsVector ? $"{r.Name}[{k.ToString(CultureInfo.InvariantCulture)}]" : r.Name;

    static bool IsAllZero(Expr e) => Build.IsZero(e) || e is Concat c && c.Parts.All(IsAllZero);

    // A scalar derivative that stands for every component of a vector block (a literal 0), widened to its columns.
    static Expr Widen(Expr e, int width) => e.IsVector || width == 1 ? e : new Concat(Enumerable.Repeat(e, width).ToEquatableArray());

    // The additive terms of an expression with their signs: a − (b + c) → a, −b, −c.
    static IEnumerable<(Expr Term, bool Negative)> Terms(Expr e, bool negative) => e switch
    {
        Binary { Op: BinaryOp.Add } b => Terms(b.Left, negative).Concat(Terms(b.Right, negative)),
        Binary { Op: BinaryOp.Subtract } b => Terms(b.Left, negative).Concat(Terms(b.Right, !negative)),
        Negate m => Terms(m.Operand, !negative),
        _ => new[] { (e, negative) },
    };
}
