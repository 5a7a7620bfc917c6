namespace NodeDsl.Runtime.Training;

/// <summary>A checkpoint could not be read or does not fit the model; the message names the cause.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);
