using System.Globalization;

namespace NodeDsl;

/// <summary>
/// A fixed-size vector of doubles with elementwise arithmetic. In a model it declares a vector state, input or
/// network result; in the generated scalar code (the test oracle) it is a real value type of plain C#.
/// Instances are immutable.
/// </summary>
public sealed class Vec : IEquatable<Vec>
{
    readonly double[] values;

    /// <summary>A vector holding a copy of <paramref name="values"/>.</summary>
    public Vec(params double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        this.values = (double[])values.Clone();
    }

    /// <summary>A vector holding a copy of <paramref name="length"/> values of <paramref name="source"/> from <paramref name="offset"/>.</summary>
    public Vec(double[] source, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(source);
        values = source.AsSpan(offset, length).ToArray();
    }

    Vec(double[] owned, bool _) => values = owned;

    /// <summary>A vector of the given scalars.</summary>
    public static Vec Of(params double[] values) => new(values);

    /// <summary>The vectors and scalars joined end to end.</summary>
    public static Vec Concat(params object[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var result = new List<double>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case Vec v: result.AddRange(v.values); break;
                case double d: result.Add(d); break;
                case int i: result.Add(i); break;
                default: throw new ArgumentException($"Vec.Concat takes Vec and double parts, not {part?.GetType().Name ?? "null"}.", nameof(parts));
            }
        }
        return new Vec(result.ToArray(), true);
    }

    /// <summary>A vector of <paramref name="length"/> zeros.</summary>
    public static Vec Zeros(int length) => new(new double[length], true);

    /// <summary>Number of components.</summary>
    public int Length => values.Length;

    /// <summary>Component <paramref name="index"/>.</summary>
    public double this[int index] => values[index];

    /// <summary>Component at <paramref name="index"/> (from the end with <c>^</c>).</summary>
    public double this[Index index] => values[index];

    /// <summary>The sub-vector <paramref name="range"/>, e.g. <c>v[0..2]</c>.</summary>
    public Vec this[Range range] => new(values[range], true);

    /// <summary>A copy of the components.</summary>
    public double[] ToArray() => (double[])values.Clone();

    /// <summary>Copies the components into <paramref name="destination"/> from <paramref name="offset"/>.</summary>
    public void CopyTo(double[] destination, int offset) => values.CopyTo(destination, offset);

    /// <summary>Applies <paramref name="f"/> to each component.</summary>
    public Vec Map(Func<double, double> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var r = new double[values.Length];
        for (int i = 0; i < r.Length; i++) r[i] = f(values[i]);
        return new Vec(r, true);
    }

    /// <summary>Combines two vectors of the same length component by component.</summary>
    public static Vec Zip(Vec a, Vec b, Func<double, double, double> f)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(f);
        if (a.Length != b.Length)
            throw new ArgumentException($"Vec lengths differ: {a.Length} and {b.Length}. Elementwise operations need vectors of equal length.");
        var r = new double[a.Length];
        for (int i = 0; i < r.Length; i++) r[i] = f(a.values[i], b.values[i]);
        return new Vec(r, true);
    }

#pragma warning disable CS1591 // operators are self-describing
    public static Vec operator +(Vec a, Vec b) => Zip(a, b, static (x, y) => x + y);
    public static Vec operator -(Vec a, Vec b) => Zip(a, b, static (x, y) => x - y);
    public static Vec operator *(Vec a, Vec b) => Zip(a, b, static (x, y) => x * y);
    public static Vec operator /(Vec a, Vec b) => Zip(a, b, static (x, y) => x / y);
    public static Vec operator +(Vec a, double b) => a.Map(x => x + b);
    public static Vec operator -(Vec a, double b) => a.Map(x => x - b);
    public static Vec operator *(Vec a, double b) => a.Map(x => x * b);
    public static Vec operator /(Vec a, double b) => a.Map(x => x / b);
    public static Vec operator +(double a, Vec b) => b.Map(x => a + x);
    public static Vec operator -(double a, Vec b) => b.Map(x => a - x);
    public static Vec operator *(double a, Vec b) => b.Map(x => a * x);
    public static Vec operator /(double a, Vec b) => b.Map(x => a / x);
    public static Vec operator -(Vec a) => a.Map(static x => -x);
    public static Vec operator +(Vec a) => a;
#pragma warning restore CS1591

    /// <inheritdoc />
    public bool Equals(Vec? other) => other is not null && values.AsSpan().SequenceEqual(other.values);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Vec v && Equals(v);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var v in values) h.Add(v);
        return h.ToHashCode();
    }

    /// <summary>Components in invariant culture, round-trip precision: <c>[1, 2.5]</c>.</summary>
    public override string ToString()
        => "[" + string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
}
