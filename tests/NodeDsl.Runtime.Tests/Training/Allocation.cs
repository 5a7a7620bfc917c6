namespace NodeDsl.Runtime.Tests.Training;

/// <summary>Managed memory allocated by a piece of code (this thread's and others', counted precisely).</summary>
internal static class Allocation
{
    public static long Of(Action action)
    {
        long start = GC.GetTotalAllocatedBytes(precise: true);
        action();
        return GC.GetTotalAllocatedBytes(precise: true) - start;
    }
}
