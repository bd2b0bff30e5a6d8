package dev.switchboard.app.connections;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.errors.OpenAiErrorBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import reactor.netty.NettyPipeline;

/**
 * Bounds the time from a request's first byte to the end of its headers, per connection. reactor-netty's idle
 * timeout already closes a connection whose headers never complete (its timer sits behind the HTTP codec, which
 * passes nothing on for a partial header), but only after {@code server.netty.idle-timeout} and without a word; a
 * client trickling its headers (slowloris) now holds a connection for this shorter time and is told 408. Two
 * handlers share the state: one before the codec sees raw bytes arrive, one after it sees decoded requests and
 * written responses. While a response is being written, bytes of a next (pipelined) request only start the clock
 * once that response ends, so a long stream is never cut by its successor.
 */
final class RequestHeaderTimeout {

    private final long timeoutMillis;
    /** Where a response must be written from so that the codec encodes it. */
    private ChannelHandlerContext afterCodec;
    private ScheduledFuture<?> deadline;
    /** Between requests: the next bytes begin a request line. */
    private boolean awaitingHeaders = true;
    /** Requests whose headers arrived and whose response has not ended yet. */
    private int responding;
    /** Bytes of a next request arrived while a response was still being written. */
    private boolean bytesHeldBack;

    private RequestHeaderTimeout(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Adds the two handlers around reactor-netty's HTTP/1.1 codec; a pipeline without one is left alone. */
    static void install(ChannelPipeline pipeline, long timeoutMillis) {
        if (pipeline.get(NettyPipeline.HttpCodec) == null) {
            return;
        }
        RequestHeaderTimeout state = new RequestHeaderTimeout(timeoutMillis);
        pipeline.addBefore(NettyPipeline.HttpCodec, "switchboard.headerTimeout.bytes", state.new BytesArrive());
        pipeline.addAfter(NettyPipeline.HttpCodec, "switchboard.headerTimeout.requests", state.new RequestsDecoded());
    }

    /** Before the codec: raw bytes. All calls happen on the channel's event loop, so the state needs no locks. */
    private final class BytesArrive extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf bytes && bytes.isReadable() && awaitingHeaders && deadline == null) {
                if (responding > 0) {
                    bytesHeldBack = true;
                } else {
                    start(ctx);
                }
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }
    }

    /** After the codec: decoded requests come in, responses go out. */
    private final class RequestsDecoded extends ChannelDuplexHandler {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            afterCodec = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                cancel();
                awaitingHeaders = false;
                responding++;
            }
            if (msg instanceof LastHttpContent) {
                awaitingHeaders = true;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent) {
                responding = Math.max(0, responding - 1);
                if (responding == 0 && bytesHeldBack && awaitingHeaders && deadline == null) {
                    bytesHeldBack = false;
                    start(ctx);
                }
            }
            ctx.write(msg, promise);
        }
    }

    private void start(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** 408 in OpenAI's shape, then close: the half-read request can never be completed on this connection. */
    private void expire() {
        deadline = null;
        if (!afterCodec.channel().isActive()) {
            return;
        }
        byte[] body = OpenAiErrorBody.json(new ApiException(HttpStatus.REQUEST_TIMEOUT, "invalid_request_error", null,
                "request_timeout", "The request headers did not arrive within " + timeoutMillis + " ms", null))
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        afterCodec.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
