namespace NodeDsl.Runtime.Export;

/// <summary>
/// A weight file could not be read (missing, truncated, not a weight file, a newer format, checksum mismatch) or does
/// not fit the model; the message names the file, the cause and the remedy.
/// </summary>
public sealed class WeightFileException(string message, Exception? inner = null) : Exception(message, inner);
