using MassTransit;

namespace EventRuntime.Node.Bus;

/// <summary>What the command queue reads at all: the two JSON content types, and bodies no larger than Intake:MaxMessageBytes.</summary>
internal static class CommandBody
{
    public const string EnvelopeMediaType = "application/vnd.masstransit+json";
    public const string RawJsonMediaType = "application/json";

    public static long LengthOf(MessageBody body) => body.Length ?? body.GetBytes().Length;

    /// <summary>A body without a content type is read as an envelope.</summary>
    public static bool IsReadableMediaType(string? mediaType) =>
        string.IsNullOrEmpty(mediaType)
        || string.Equals(mediaType, EnvelopeMediaType, StringComparison.OrdinalIgnoreCase)
        || string.Equals(mediaType, RawJsonMediaType, StringComparison.OrdinalIgnoreCase);
}
