using NodeDsl.Generators.Symbolic;

namespace NodeDsl.Generators.Emitting;

/// <summary>
/// Emits the rates, VJP and scalar oracle of a Lagrangian model (Cranmer et al. 2020): q' = q̇ and
/// q̈ = M⁻¹ (∇qL − C q̇ − ∂²L/∂q̇∂t) with M = ∂²L/∂q̇∂q̇ᵀ, C = ∂²L/∂q̇∂qᵀ. Known terms enter through their symbolic derivatives
/// (<see cref="LagrangianSpec"/>); network terms through autograd (NodeDsl.Runtime.EulerLagrange.NetworkTerms), and the
/// batched linear solve is <c>torch.linalg.solve_ex</c> (EulerLagrange.Accelerations).
/// </summary>
/// <remarks>
/// The VJP differentiates the rates with autograd (NodeDsl.Runtime.AutogradRatesVjp): the reverse mode of a linear solve
/// and of second derivatives of networks needs the Hessian of the solve's inputs, which autograd already tracks.
/// </remarks>
internal static class LagrangianEmitter
{
    const string EulerLagrange = Names.Runtime + ".EulerLagrange";

    public static void Emit(SourceWriter w, ModelSpec m)
    {
        EmitRates(w, m);
        EmitVjp(w, m);
        EmitScalarRates(w, m);
        EmitScalarLagrangian(w, m);
    }

    static IEnumerable<Expr> Roots(ModelSpec m, LagrangianSpec l)
    {
        var roots = l.Force.Concat(l.Mass).Concat(l.Mixed).Concat(l.TimeMixed).Concat(l.Coordinates.Concat(l.Velocities).Select(n => (Expr)m.State(n).Leaf));
        return l.NetworkTerms is { } network ? roots.Append(network) : roots;
    }

    // One name per velocity component (qDot, or qDot[0], qDot[1] … for a Vec), for the singular-matrix message.
    static IEnumerable<string> ComponentNames(ModelSpec m, LagrangianSpec l)
        => l.Velocities.SelectMany(v => m.State(v) is { IsVector: true } s
            ? Enumerable.Range(0, s.Size).Select(k => $"{v}[{Literals.Int(k)}]")
            : new[] { v });

    // Where each velocity's block starts in q̈ (the components of all velocities in order).
    static int AccelerationOffset(ModelSpec m, LagrangianSpec l, string velocity)
        => l.Velocities.TakeWhile(v => v != velocity).Sum(v => m.State(v).Size);

    static string Cat(IEnumerable<string> columns) => $"{Names.Torch}.cat(new {Names.Tensor}[] {{ {string.Join(", ", columns)} }}, 1)";

    static int Index(EquatableArray<string> names, string name) => names.Select((n, i) => (n, i)).First(x => x.n == name).i;

    static string NameArray(IEnumerable<string> names) => $"new string[] {{ {string.Join(", ", names.Select(Literals.String))} }}";

    static void EmitRates(SourceWriter w, ModelSpec m)
    {
        var l = m.Lagrangian!;
        bool network = l.NetworkTerms is not null;
        var time = m.TimeField is { } tf && network && ExprWalk.Reads(l.NetworkTerms!, Ref.Time(tf)) ? tf : null;
        w.WriteLine("/// <summary>Batched Euler–Lagrange rates (q' = q̇, q̈ from the mass-matrix solve): <c>__y</c> is <c>[batch, " + Literals.Int(m.States.Sum(s => s.Size)) + "]</c>.</summary>");
        w.WriteLine(Names.GeneratedCode);
        w.OpenBlock($"public override {Names.Tensor} Rates({Names.Tensor} __t, {Names.Tensor} __y)");
        var prologue = network
            ? new[]
            {
                // Network terms are differentiated by autograd, so y must be part of a graph; the second derivatives keep
                // theirs only when the caller records one (training, or the autograd VJP).
                $"bool __graph = {Names.Torch}.is_grad_enabled();",
                $"using var __enableGrad = {Names.Torch}.enable_grad();",
                $"__y = {EulerLagrange}.Differentiable(__y);",
            }
            : null;
        var emitter = ModelEmitter.OpenTensorBody(w, m, Roots(m, l), prologue: prologue);
        if (time is not null) w.WriteLine($"{time} = {EulerLagrange}.Differentiable({time});");
        w.WriteLine($"var __force = {Cat(l.Force.Select(emitter.EmitColumns))};");
        w.WriteLine($"var __mass = {Cat(l.Mass.Select(emitter.EmitColumns))};");
        w.WriteLine($"var __mixed = {Cat(l.Mixed.Select(emitter.EmitColumns))};");
        w.WriteLine(l.TimeMixed.Count > 0 ? $"{Names.Tensor}? __timeMixed = {Cat(l.TimeMixed.Select(emitter.EmitColumns))};" : $"{Names.Tensor}? __timeMixed = null;");
        if (network)
        {
            w.WriteLine($"var __networkLagrangian = {emitter.EmitColumns(l.NetworkTerms!)};");
            string Columns(EquatableArray<string> names)
                => $"new long[] {{ {string.Join(", ", names.SelectMany(n => Enumerable.Range(m.State(n).Offset, m.State(n).Size)).Select(Literals.Int))} }}";
            w.WriteLine($"var __n = {EulerLagrange}.NetworkTerms(__networkLagrangian, __y, {Columns(l.Coordinates)}, {Columns(l.Velocities)}, {time ?? "null"}, __graph);");
            // add(t) alone is add(t, 1) with a temporary Scalar (docs/notes/torchsharp-scalar-gc-race.md).
            w.WriteLine($"__force = __force.add(__n.Force, {Names.ScalarOps}.One);");
            w.WriteLine($"__mass = __mass.add(__n.Mass, {Names.ScalarOps}.One);");
            w.WriteLine($"__mixed = __mixed.add(__n.Mixed, {Names.ScalarOps}.One);");
            if (time is not null) w.WriteLine($"__timeMixed = __timeMixed is null ? __n.TimeMixed : __timeMixed.add(__n.TimeMixed!, {Names.ScalarOps}.One);");
        }
        w.WriteLine($"var __velocities = {Cat(l.Velocities)};");
        w.WriteLine($"var __acc = {EulerLagrange}.Accelerations(__mass, __mixed, __force, __timeMixed, __velocities, {Literals.String(m.ClassName)}, {NameArray(ComponentNames(m, l))});");
        var columns = m.States.Select(s => s.Role == StateRole.Coordinate
            ? l.Velocities[Index(l.Coordinates, s.Name)]
            : $"__acc.narrow(1, {Literals.Int(AccelerationOffset(m, l, s.Name))}, {Literals.Int(s.Size)})");
        w.WriteLine($"var __rates = {Cat(columns)};");
        w.WriteLine(network ? "return __graph ? __rates : __rates.detach();" : "return __rates;");
        w.CloseBlock();
        w.WriteLine();
    }

    static void EmitVjp(SourceWriter w, ModelSpec m)
    {
        VjpEmitter.OpenVjp(w, "Vector–Jacobian product of <see cref=\"Rates\"/> by autograd through the mass-matrix solve (see docs/dsl.md).");
        w.WriteLine($"return new {Names.Runtime}.AutogradRatesVjp(this, VjpParameters()).Vjp(__t, __y, __a, __withTime);");
        w.CloseBlock();
        w.WriteLine();
    }

    static void EmitScalarRates(SourceWriter w, ModelSpec m)
    {
        var l = m.Lagrangian!;
        int n = l.Size;
        if (l.NetworkTerms is not null)
        {
            // Second derivatives of networks exist only as autograd graphs: evaluate the batched rates on one row.
            ModelEmitter.OpenScalarMethod(w,
                "The Euler–Lagrange rates of one state: the network terms' second derivatives come from autograd, so this evaluates <see cref=\"Rates\"/> on one row (the plain-C# oracle is <see cref=\"ScalarLagrangian\"/>).",
                "public override double[] ScalarRates" + ModelEmitter.ScalarSignature);
            w.WriteLine($"return {EulerLagrange}.RatesOfOneRow(this, __t, __y, __inputs);");
            w.CloseBlock();
            w.WriteLine();
            return;
        }
        if (m.States.Any(s => s.IsVector))
        {
            EmitVectorScalarRates(w, m);
            return;
        }
        var emitter = OpenSymbolicScalarRates(w, m);
        var mass = l.Mass.Select(emitter.Emit).ToList();
        var rhs = new List<string>();
        for (int i = 0; i < n; i++)
        {
            var terms = new List<string> { emitter.Emit(l.Force[i]) };
            for (int j = 0; j < n; j++)
                if (!Build.IsZero(l.Mixed[i * n + j])) terms.Add($"- {emitter.Emit(l.Mixed[i * n + j])} * __q_{l.Velocities[j]}");
            if (l.TimeMixed.Count > 0 && !Build.IsZero(l.TimeMixed[i])) terms.Add($"- {emitter.Emit(l.TimeMixed[i])}");
            rhs.Add(string.Join(" ", terms));
        }
        w.WriteLine($"var __acc = {EulerLagrange}.SolveScalar(new double[] {{ {string.Join(", ", mass)} }}, new double[] {{ {string.Join(", ", rhs)} }}, {Literals.String(m.ClassName)}, {NameArray(l.Velocities)});");
        var values = m.States.Select(s => s.Role == StateRole.Coordinate
            ? "__q_" + l.Velocities[Index(l.Coordinates, s.Name)]
            : $"__acc[{Literals.Int(Index(l.Velocities, s.Name))}]");
        w.WriteLine($"return new double[] {{ {string.Join(", ", values)} }};");
        w.CloseBlock();
        w.WriteLine();
    }

    // Vec coordinates: the symbolic parts as Vec values flattened to arrays, then M q̈ = ∇qL − C q̇ − ∂²L/∂q̇∂t in doubles.
    static void EmitVectorScalarRates(SourceWriter w, ModelSpec m)
    {
        var l = m.Lagrangian!;
        var emitter = OpenSymbolicScalarRates(w, m);
        string Flat(IEnumerable<Expr> parts) => $"{Names.Vec}.Concat({string.Join(", ", parts.Select(p => "(object)" + emitter.Emit(p)))}).ToArray()";
        string Leaves(IEnumerable<string> names) => Flat(names.Select(n => (Expr)m.State(n).Leaf));
        w.WriteLine($"var __mass = {Flat(l.Mass)};");
        w.WriteLine($"var __rhs = {EulerLagrange}.RightHandSide({Flat(l.Force)}, {Flat(l.Mixed)}, {Leaves(l.Velocities)}, {(l.TimeMixed.Count > 0 ? Flat(l.TimeMixed) : "null")});");
        w.WriteLine($"var __acc = {EulerLagrange}.SolveScalar(__mass, __rhs, {Literals.String(m.ClassName)}, {NameArray(ComponentNames(m, l))});");
        w.WriteLine($"var __result = new double[{Literals.Int(m.States.Sum(s => s.Size))}];");
        foreach (var s in m.States)
        {
            // q' = q̇ (the velocity's own columns), q̇' = its block of q̈.
            var (source, start) = s.Role == StateRole.Coordinate ? ("__y", m.State(l.Velocities[Index(l.Coordinates, s.Name)]).Offset) : ("__acc", AccelerationOffset(m, l, s.Name));
            w.WriteLine($"global::System.Array.Copy({source}, {Literals.Int(start)}, __result, {Literals.Int(s.Offset)}, {Literals.Int(s.Size)});");
        }
        w.WriteLine("return __result;");
        w.CloseBlock();
        w.WriteLine();
    }

    // The oracle's ScalarRates method, opened, with the state and field leaves bound to locals.
    static ScalarExpressionEmitter OpenSymbolicScalarRates(SourceWriter w, ModelSpec m)
    {
        ModelEmitter.OpenScalarMethod(w, "The Euler–Lagrange rates of one state in plain C# from the symbolic derivatives of the Lagrangian (the test oracle).",
            "public override double[] ScalarRates" + ModelEmitter.ScalarSignature);
        return ModelEmitter.BindScalarLeaves(w, m);
    }

    static void EmitScalarLagrangian(SourceWriter w, ModelSpec m)
    {
        var l = m.Lagrangian!;
        ModelEmitter.OpenScalarMethod(w, "The Lagrangian of one state in plain C#: sets the model's fields and evaluates its [Lagrangian] member.",
            "public double ScalarLagrangian" + ModelEmitter.ScalarSignature);
        ModelEmitter.AssignFields(w, m);
        w.WriteLine($"return this.{l.MemberName}{(l.IsMethod ? "()" : "")};");
        w.CloseBlock();
        w.WriteLine();
    }
}
