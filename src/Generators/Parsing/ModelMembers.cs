using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using NodeDsl.Generators.Model;

namespace NodeDsl.Generators.Parsing;

/// <summary>A model field with its role, as the translator resolves identifiers against it.</summary>
internal sealed record MemberRef(MemberKind Kind, string Name, int Size, double? ConstantValue);

/// <summary>A neural partial method as the translator sees it: declared parameters and return.</summary>
internal sealed class NeuralDecl
{
    public NeuralDecl(IMethodSymbol method, NetworkReturn returns, IReadOnlyList<string> tupleNames, int outputSize)
    {
        Method = method;
        Returns = returns;
        TupleNames = tupleNames;
        OutputSize = outputSize;
        VectorSizes = new int?[method.Parameters.Length];
    }

    public IMethodSymbol Method { get; }
    public NetworkReturn Returns { get; }
    public IReadOnlyList<string> TupleNames { get; }
    /// <summary>Output width; for a Vec result without OutputSize it is set from the first call (= input width).</summary>
    public int OutputSize { get; set; }

    /// <summary>Sizes of Vec parameters, inferred from the first call.</summary>
    public int?[] VectorSizes { get; }
}

/// <summary>What identifiers in rate bodies can refer to.</summary>
internal sealed class ModelMembers
{
    public Dictionary<string, MemberRef> Fields { get; } = new();
    public Dictionary<string, NeuralDecl> Networks { get; } = new();
}
