package dev.switchboard.app.connections;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * Catches a request body the HTTP codec could not decode (a chunk size of {@code zz}, a broken chunk). Left to
 * reactor-netty, the failed chunk makes it send a bare 400 of its own behind the application's back; the
 * controller's error answer then fails with "headers already sent", which was logged as an ERROR with a long
 * stack trace and counted as a 500 in {@code http_server_requests}. Raising it as an inbound error instead makes
 * reactor-netty log it as dropped. So the body simply ends here, the reason is left on the channel, and
 * {@link MalformedBodyFilter} turns the end of such a body into an ordinary 400.
 */
final class MalformedBodyGuard extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<String> REASON = AttributeKey.valueOf("switchboard.malformedBody");

    static void install(ChannelPipeline pipeline) {
        if (pipeline.get(NettyPipeline.HttpCodec) != null) {
            pipeline.addAfter(NettyPipeline.HttpCodec, "switchboard.malformedBody", new MalformedBodyGuard());
        }
    }

    /** Why the body that just ended on {@code channel} was cut short, once; null when it was not. */
    static @Nullable String takeReason(Channel channel) {
        return channel.attr(REASON).getAndSet(null);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Failed request lines and headers are UndecodableRequestAnswer's (414/431/400 before any application code runs).
        if (msg instanceof HttpContent content && !(msg instanceof HttpRequest) && content.decoderResult().isFailure()) {
            Throwable cause = content.decoderResult().cause();
            ReferenceCountUtil.release(msg);
            ctx.channel().attr(REASON).set(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
            ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
