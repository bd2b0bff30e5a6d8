package dev.switchboard.app.connections;

import dev.switchboard.app.errors.ApiException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;

/**
 * Turns a request body the HTTP codec could not decode (a chunk size of {@code zz}, a broken chunk) into a 400
 * {@link ApiException} on the body being read. Left to reactor-netty, the failed chunk makes it send a bare 400 of
 * its own behind the application's back; the controller's error answer then fails with "headers already sent",
 * which was logged as an ERROR with a long stack trace and counted as a 500 in {@code http_server_requests}.
 * Raised this way, the error handler answers it like any other bad body, and the connection is closed after the
 * answer (reactor-netty stops keeping a connection alive once its inbound side failed).
 */
final class MalformedBodyGuard extends ChannelInboundHandlerAdapter {

    static void install(ChannelPipeline pipeline) {
        if (pipeline.get(NettyPipeline.HttpCodec) != null) {
            pipeline.addAfter(NettyPipeline.HttpCodec, "switchboard.malformedBody", new MalformedBodyGuard());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Failed request lines and headers stay reactor-netty's (400/413/431 before any application code runs).
        if (msg instanceof HttpContent content && !(msg instanceof HttpRequest) && content.decoderResult().isFailure()) {
            String reason = content.decoderResult().cause().getMessage();
            ReferenceCountUtil.release(msg);
            ctx.fireExceptionCaught(ApiException.invalid(null, "The request body is not valid HTTP/1.1 chunked encoding"
                    + (reason == null ? "" : ": " + reason)));
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
