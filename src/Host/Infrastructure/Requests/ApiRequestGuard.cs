using System.Text.Json;
using Exit.Host.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.Features;

namespace Exit.Host.Infrastructure.Requests;

/// <summary>Caps on API request bodies (configuration <c>Exit:Requests</c>).</summary>
public sealed class ApiRequestOptions
{
    /// <summary>
    /// Bytes a JSON (or other non-multipart) body on an API path may have. A definition file is tens of kilobytes;
    /// definition imports have their own caps (<c>Exit:Import</c>) for multipart uploads.
    /// </summary>
    public long MaxJsonBodyBytes { get; set; } = 2 * 1024 * 1024;
}

/// <summary>
/// The API's defences against bodies it cannot use, so every refusal is problem+json and nothing is half-read:
/// a body over <see cref="ApiRequestOptions.MaxJsonBodyBytes"/> answers 413 (by its Content-Length, or the moment
/// a chunked body passes the cap); a body the endpoint could not bind (malformed, too deep, wrongly typed) answers
/// 400 naming the JSON path of the bad field; any other empty 4xx answer on an API path gets a problem body.
/// </summary>
public sealed class ApiRequestGuard(RequestDelegate next, ApiRequestOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!ExitAuthentication.IsApiPath(context.Request.Path))
        {
            await next(context);
            return;
        }

        var request = context.Request;
        if (!request.HasFormContentType)
        {
            if (request.ContentLength > options.MaxJsonBodyBytes)
            {
                await TooLarge().ExecuteAsync(context);
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = options.MaxJsonBodyBytes;
            request.Body = new CappedStream(request.Body, options.MaxJsonBodyBytes);
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await Refusal(e).ExecuteAsync(context);
            return;
        }

        var response = context.Response;
        if (response.StatusCode is >= 400 and < 500 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType)
            && response.StatusCode is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden))
        {
            await TypedResults.Problem(statusCode: response.StatusCode).ExecuteAsync(context);
        }
    }

    private IResult TooLarge() => TypedResults.Problem(
        title: "The request body is too large.",
        detail: $"A request body may have at most {options.MaxJsonBodyBytes} bytes.",
        statusCode: StatusCodes.Status413PayloadTooLarge,
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["body"] = [$"at most {options.MaxJsonBodyBytes} bytes"] } });

    /// <summary>A binding failure: 413 for the cap, otherwise 400 naming the JSON path that failed (or the body).</summary>
    private IResult Refusal(BadHttpRequestException e)
    {
        if (e.StatusCode == StatusCodes.Status413PayloadTooLarge) return TooLarge();
        var json = e.InnerException as JsonException;
        var field = string.IsNullOrEmpty(json?.Path) ? "body" : json.Path;
        var message = json is null ? e.Message : "The value is malformed or of the wrong type.";
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            title: "The request is invalid.", detail: e.Message);
    }

    /// <summary>Stops reading at the cap with the 413 Kestrel would raise, for servers (and chunked bodies) it does not cover.</summary>
    private sealed class CappedStream(Stream inner, long cap) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        private int Count(int read)
        {
            _read += read;
            if (_read > cap) throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
