package dev.switchboard.app.connections;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.errors.OpenAiErrorBody;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import reactor.netty.NettyPipeline;

/**
 * Answers a request whose request line or headers the HTTP codec could not decode (over
 * {@code server.netty.max-initial-line-length} or {@code server.max-http-request-header-size}, not HTTP at all,
 * conflicting {@code Content-Length}s) in OpenAI's error shape, with the status reactor-netty would have sent bare:
 * 414, 431 or 400. Such a request never reaches Spring, so no other error handler sees it.
 *
 * <p>The rest of the request is never read, so the connection cannot carry another one: the answer is followed by a
 * half-close and the remaining bytes are read and dropped (the codec discards everything after a failed message)
 * until the client closes or {@link #LINGER_MILLIS} pass. Closing at once with unread bytes would make the kernel
 * send a reset, which can destroy the answer before the client has read it.
 */
final class UndecodableRequestAnswer extends ChannelInboundHandlerAdapter {

    static final long LINGER_MILLIS = 2_000;

    static void install(ChannelPipeline pipeline) {
        if (pipeline.get(NettyPipeline.HttpCodec) != null) {
            pipeline.addAfter(NettyPipeline.HttpCodec, "switchboard.undecodableRequest", new UndecodableRequestAnswer());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            ReferenceCountUtil.release(msg);
            answer(ctx, error(cause));
            return;
        }
        ctx.fireChannelRead(msg);
    }

    static ApiException error(Throwable cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof TooLongHttpLineException) {
            return new ApiException(HttpStatus.URI_TOO_LONG, "invalid_request_error", null, "uri_too_long",
                    "The request line is too long (" + detail + "): shorten the URL; send large values in a JSON body", null);
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new ApiException(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "invalid_request_error", null,
                    "headers_too_large", "The request headers are too large (" + detail + "): send fewer or shorter headers", null);
        }
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", null, "malformed_request",
                "The request is not valid HTTP/1.1 (" + detail + "); check the request line and headers", null);
    }

    private static void answer(ChannelHandlerContext ctx, ApiException error) {
        byte[] body = OpenAiErrorBody.json(error).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(error.status().value()), Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            if (written.channel() instanceof DuplexChannel duplex && written.isSuccess()) {
                duplex.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                written.channel().close();
            }
        });
    }
}
