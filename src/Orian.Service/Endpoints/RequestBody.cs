using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Orian.Service.Endpoints;

/// <summary>A request body read into a pooled buffer, up to a limit. Dispose returns the buffer.</summary>
internal sealed class RequestBody : IDisposable
{
    private byte[]? _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>Reads the whole body; null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<RequestBody?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        var length = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
            }

            return new RequestBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Reads a body that must be a JSON object of at most <paramref name="maxBytes"/>: the
    /// document (the caller disposes it), or the problem to answer (413, or 400 naming <c>$</c>).</summary>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadJsonObjectAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        using var body = await ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (null, Problems.TooLarge(maxBytes));
        }

        if (Orian.Edge.JsonText.Check(body.Span) is { } invalid)
        {
            return (null, Problems.InvalidField("$", invalid));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Span.ToArray(), new JsonDocumentOptions { MaxDepth = Orian.Edge.JsonText.MaxDepth });
        }
        catch (JsonException)
        {
            return (null, Problems.InvalidField("$", "The body is not valid JSON."));
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, Problems.InvalidField("$", "The body must be a JSON object."));
        }

        return (document, null);
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
