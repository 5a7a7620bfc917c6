using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;


/// <summary>
/// Finds implicit number → <see cref="Scalar"/> conversions by reading IL (linked into the test projects that scan:
/// NodeDsl.Runtime.Tests, NodeDsl.Models.Tests): each creates a Scalar that nothing keeps
/// alive across the native call it is passed to, which a garbage collection on another thread may finalize while
/// libtorch reads it (docs/notes/torchsharp-scalar-gc-race.md). The race itself strikes rarely; the conversion is in
/// the code or it is not.
/// </summary>
internal static class ScalarTemporaryScan
{
    static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>
    /// The places in <paramref name="type"/> (its nested types and lambdas included) that convert a number to a Scalar
    /// implicitly, directly or inside a TorchSharp method they call (TorchSharp's convenience overloads do, e.g. the
    /// hidden <c>alpha = 1</c> of <c>add_(Scalar)</c>).
    /// </summary>
    public static List<string> ImplicitConversions(Type type)
    {
        var found = new List<string>();
        foreach (var method in MethodsOf(type))
            foreach (var callee in Callees(method))
            {
                if (IsImplicitScalar(callee)) found.Add($"{method.DeclaringType!.Name}.{method.Name} converts a number to a Scalar implicitly");
                else if (callee.Module.Assembly == typeof(Scalar).Assembly && Callees(callee).Any(IsImplicitScalar))
                    found.Add($"{method.DeclaringType!.Name}.{method.Name} calls {callee.DeclaringType!.Name}.{callee.Name}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))}), which converts a number to a Scalar implicitly");
            }
        return found;
    }

    static bool IsImplicitScalar(MethodBase m) => m.Name == "op_Implicit" && m.DeclaringType == typeof(Scalar);

    static IEnumerable<MethodBase> MethodsOf(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var m in type.GetMethods(all)) yield return m;
        foreach (var c in type.GetConstructors(all)) yield return c;
        foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
            foreach (var m in MethodsOf(nested)) yield return m;
    }

    // The methods a body calls (call, callvirt, newobj), read with the operand sizes of the IL opcodes.
    static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            var op = OpCodesByValue[value];
            i += op.Size;
            if (op.OperandType == OperandType.InlineMethod)
            {
                MethodBase? callee = null;
                try { callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArgs, methodArgs); }
                catch (ArgumentException) { } // a generic instantiation that cannot be resolved out of context
                if (callee is not null) yield return callee;
            }
            i += OperandSize(op, il, i);
        }
    }

    static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
