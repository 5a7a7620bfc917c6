namespace NodeDsl.Generators.Symbolic;

/// <summary>
/// Thrown inside <see cref="Derivative"/> and <see cref="Gradient"/> when an expression cannot be differentiated; it never
/// leaves them: <see cref="Catch"/> turns it into a null result and a reason the caller reports as a diagnostic.
/// </summary>
internal sealed class NotDifferentiableException(string message) : System.Exception(message)
{
    /// <summary>The result of <paramref name="differentiate"/>, or null with <paramref name="reason"/> set when it could not.</summary>
    public static Expr? Catch(System.Func<Expr> differentiate, out string reason)
    {
        reason = "";
        try
        {
            return differentiate();
        }
        catch (NotDifferentiableException ex)
        {
            reason = ex.Message;
            return null;
        }
    }
}
