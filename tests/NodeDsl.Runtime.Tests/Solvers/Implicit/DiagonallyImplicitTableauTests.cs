using System.Numerics;
using NodeDsl.Runtime.Tableaus;

namespace NodeDsl.Runtime.Tests.Implicit;

/// <summary>
/// Checks the Kværnø tableaus against the Runge–Kutta order conditions (Butcher's rooted trees, Hairer, Nørsett &amp;
/// Wanner I, §II.2) and their stability function at infinity, independently of the coefficient source.
/// </summary>
public class DiagonallyImplicitTableauTests
{
    // The coefficients are printed with 17 significant digits; the order conditions then hold to a few ulps.
    const double ConditionTolerance = 1e-13;

    public static TheoryData<string, int, int> Methods => new() { { "kvaerno3", 3, 2 }, { "kvaerno5", 5, 4 } };

    static DiagonallyImplicitTableau Get(string name) => name == "kvaerno5" ? Kvaerno5.Tableau : Kvaerno3.Tableau;

    [Theory]
    [MemberData(nameof(Methods))]
    public void SolutionAndEmbeddedWeightsSatisfyTheOrderConditions(string name, int order, int embeddedOrder)
    {
        var tab = Get(name);
        Assert.Equal(order, tab.Order);
        Assert.Equal(embeddedOrder, tab.ErrorOrder);
        double[] b = [.. tab.B];
        double[] bHat = b.Zip(tab.BError, (x, e) => x - e).ToArray();
        foreach (var tree in RootedTree.UpToOrder(order))
        {
            double[] weights = tree.ElementaryWeights(tab);
            double expected = 1.0 / tree.Density;
            Assert.True(Math.Abs(Dot(b, weights) - expected) < ConditionTolerance, $"{name}: b fails the condition of tree {tree.Key}");
            if (tree.Order <= embeddedOrder)
                Assert.True(Math.Abs(Dot(bHat, weights) - expected) < ConditionTolerance, $"{name}: b̂ fails the condition of tree {tree.Key}");
        }
        // The embedded method must really be of lower order, or the estimate would vanish asymptotically.
        Assert.Contains(RootedTree.UpToOrder(embeddedOrder + 1), t => t.Order == embeddedOrder + 1
            && Math.Abs(Dot(bHat, t.ElementaryWeights(tab)) - 1.0 / t.Density) > 1e-6);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void MethodIsStifflyAccurateAndLStable(string name, int order, int embeddedOrder)
    {
        _ = (order, embeddedOrder);
        var tab = Get(name);
        Assert.True(tab.IsStifflyAccurate);
        // L-stability: R(z) = 1 + z bᵀ(I − zA)⁻¹𝟙 → 0 as z → −∞; A-stability on the imaginary axis: |R(iy)| ≤ 1.
        Assert.True(Complex.Abs(Stability(tab, -1e8)) < 1e-6);
        foreach (double y in new[] { 0.1, 1, 10, 100, 1e4 })
            Assert.True(Complex.Abs(Stability(tab, new Complex(0, y))) <= 1 + 1e-12, $"|R({y}i)| > 1");
    }

    [Fact]
    public void InconsistentTableauIsRejectedWithTheFailingCondition()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DiagonallyImplicitTableau(
            lower: [[0.5]], gamma: 0.5, b: [0.5, 0.5], bError: [0.1, -0.1], c: [0, 0.9], predictor: [[1.0]], order: 1, errorOrder: 0));
        Assert.Contains("row sum of stage 2", ex.Message);
    }

    static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    /// <summary>R(z) = 1 + z bᵀ(I − zA)⁻¹𝟙 by forward substitution (A is lower triangular).</summary>
    static Complex Stability(DiagonallyImplicitTableau tab, Complex z)
    {
        int s = tab.Stages;
        var x = new Complex[s];
        for (int i = 0; i < s; i++)
        {
            Complex rhs = 1;
            for (int j = 0; j < i; j++) rhs += z * tab.A(i, j) * x[j];
            x[i] = rhs / (1 - z * tab.A(i, i));
        }
        Complex sum = 0;
        for (int i = 0; i < s; i++) sum += tab.B[i] * x[i];
        return 1 + z * sum;
    }

    /// <summary>A rooted tree as the multiset of its root's subtrees.</summary>
    sealed class RootedTree(RootedTree[] children)
    {
        public RootedTree[] Children { get; } = children;
        public int Order { get; } = 1 + children.Sum(c => c.Order);
        public string Key { get; } = "[" + string.Concat(children.Select(c => c.Key).Order(StringComparer.Ordinal)) + "]";
        /// <summary>γ(t) = |t| Π γ(children).</summary>
        public double Density => Order * Children.Aggregate(1.0, (p, c) => p * c.Density);

        /// <summary>Φᵢ(t) = Π over children of (A Φ(child))ᵢ; the condition is bᵀΦ(t) = 1/γ(t).</summary>
        public double[] ElementaryWeights(DiagonallyImplicitTableau tab)
        {
            int s = tab.Stages;
            var phi = Enumerable.Repeat(1.0, s).ToArray();
            foreach (var child in Children)
            {
                var g = child.ElementaryWeights(tab);
                for (int i = 0; i < s; i++)
                {
                    double ag = 0;
                    for (int j = 0; j < s; j++) ag += tab.A(i, j) * g[j];
                    phi[i] *= ag;
                }
            }
            return phi;
        }

        /// <summary>All trees up to <paramref name="order"/> (1, 1, 2, 4, 9 of orders 1–5), grown leaf by leaf.</summary>
        public static List<RootedTree> UpToOrder(int order)
        {
            var all = new List<RootedTree> { new([]) };
            var level = all.ToList();
            for (int p = 2; p <= order; p++)
            {
                level = level.SelectMany(Grow).GroupBy(t => t.Key).Select(g => g.First()).ToList();
                all.AddRange(level);
            }
            return all;
        }

        static IEnumerable<RootedTree> Grow(RootedTree t)
        {
            yield return new RootedTree([.. t.Children, new RootedTree([])]);
            for (int i = 0; i < t.Children.Length; i++)
                foreach (var grown in Grow(t.Children[i]))
                {
                    var children = (RootedTree[])t.Children.Clone();
                    children[i] = grown;
                    yield return new RootedTree(children);
                }
        }
    }
}
