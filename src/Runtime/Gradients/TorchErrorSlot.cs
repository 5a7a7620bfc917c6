using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace NodeDsl.Runtime;

/// <summary>
/// Leaves an error in TorchSharp's per-thread native error slot, so that the next TorchSharp call that checks the slot
/// without resetting it first throws an <see cref="ExternalException"/> carrying the message.
/// </summary>
/// <remarks>
/// <para>Why: TorchSharp 0.107's <c>torch.autograd.grad</c> calls native <c>THSAutograd_grad</c>, which (unlike every
/// other entry point) does not catch libtorch's errors, so stopping the engine with an error inside it ends the process.
/// It does, however, call <c>CheckForErrors()</c> after the engine returns, which throws whatever the thread's error slot
/// (<c>torch_last_err</c>) holds. A failed NodeDsl backward pass inside <c>autograd.grad</c> therefore lets the engine
/// finish with zero gradients and leaves its error here: <c>autograd.grad</c> throws, and its result never reaches the
/// caller.</para>
/// <para>How: every native TorchSharp function wrapped in its <c>CATCH</c> macro clears the slot on entry and stores
/// libtorch's message on failure; <c>THSTensor_div</c> with an unknown rounding mode fails with a message that repeats the
/// mode ("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '…'"). It is called here directly
/// (not through TorchSharp's <c>div</c>, which would read and clear the slot at once). Any later <c>CATCH</c>-wrapped call
/// on the thread clears it again, so callers set it as the last native call of a backward function.</para>
/// </remarks>
internal static class TorchErrorSlot
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate IntPtr DivFunction(IntPtr left, IntPtr right, [MarshalAs(UnmanagedType.LPUTF8Str)] string roundingMode);

    static readonly Lazy<DivFunction?> div = new(Resolve);

    /// <summary>Sets the slot to an error whose text contains <paramref name="message"/>; false if that was not possible.</summary>
    public static bool Set(string message)
    {
        if (div.Value is not { } function) return false;
        using var operand = zeros(1);
        var result = function(operand.Handle, operand.Handle, message);
        // A non-null result would be a tensor from a division that did not fail: impossible for an unknown mode.
        if (result == IntPtr.Zero) return true;
        Tensor.UnsafeCreateTensor(result).Dispose();
        return false;
    }

    static DivFunction? Resolve()
    {
        // TorchSharp's own DllImport name, resolved the way its assembly resolves it (the library is loaded already).
        if (!NativeLibrary.TryLoad("LibTorchSharp", typeof(TorchSharp.torch).Assembly, null, out var library)) return null;
        return NativeLibrary.TryGetExport(library, "THSTensor_div", out var address)
            ? Marshal.GetDelegateForFunctionPointer<DivFunction>(address)
            : null;
    }
}
