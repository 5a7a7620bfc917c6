namespace NodeDsl.Generators.Emitting;

/// <summary>
/// Writes <c>model.Learnables</c>: one typed <c>double</c> property per [Learnable], named like the field, so a
/// trained value is read as <c>model.Learnables.alpha</c> rather than looked up in <c>named_parameters()</c>.
/// </summary>
internal static class LearnablesEmitter
{
    public static void Emit(SourceWriter w, ModelSpec m)
    {
        if (m.Learnables.Count == 0) return;
        w.WriteLine("/// <summary>The model's [Learnable] parameters by name, e.g. <c>model.Learnables." + m.Learnables[0].Name + "</c> (current values).</summary>");
        w.WriteLine(Names.GeneratedCode);
        w.WriteLine("public LearnableValues Learnables => new LearnableValues(this);");
        w.WriteLine();
        w.WriteLine($"/// <summary>The [Learnable] parameters of {m.ClassName}, one property per parameter.</summary>");
        w.WriteLine(Names.GeneratedCode);
        w.OpenBlock("public sealed class LearnableValues");
        w.WriteLine($"private readonly {m.ClassName} __model;");
        w.WriteLine();
        w.WriteLine($"internal LearnableValues({m.ClassName} model) => __model = model;");
        for (int k = 0; k < m.Learnables.Count; k++)
        {
            var p = m.Learnables[k];
            w.WriteLine();
            w.WriteLine($"/// <summary>Current value of '{p.Name}' (initially {Literals.Double(p.InitialValue)}), copied from its parameter; setting it overwrites");
            w.WriteLine($"/// the parameter in place, outside autograd. The parameter tensor itself is <c>model.get_parameter(\"{p.Name}\")</c>.</summary>");
            w.OpenBlock($"public double {Identifier(p.Name)}");
            w.WriteLine($"get => ScalarValue(__model.Learnable({Literals.Int(k)}));");
            w.WriteLine($"set => SetScalarValue(__model.Learnable({Literals.Int(k)}), value);");
            w.CloseBlock();
        }
        w.CloseBlock();
        w.WriteLine();
    }

    static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;
}
