namespace NodeDsl.Generators.Model;

/// <summary>
/// The shape of a DSL value: a double, or a Vec of <see cref="Width"/> components. A Vec of one component is not a double
/// (it keeps its Vec type in C#), so vector-ness is its own property rather than a width of zero.
/// </summary>
internal readonly record struct Shape(bool IsVector, int Width)
{
    public static Shape Scalar => new(false, 1);

    public static Shape Vector(int width) => new(true, width);

    /// <summary>The shape of an elementwise result; a double broadcasts over a Vec (sizes of two Vecs are checked by the translator).</summary>
    public static Shape Broadcast(Shape a, Shape b) => a.IsVector ? a : b;

    /// <summary>"1 component (a double)" or "3 components", for diagnostics.</summary>
    public string Describe() => IsVector ? Width.ToString(System.Globalization.CultureInfo.InvariantCulture) + " components" : "1 component (a double)";
}
