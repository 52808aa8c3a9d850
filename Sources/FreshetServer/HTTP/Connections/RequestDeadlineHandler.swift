import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client is too slow: no complete request head within the header
/// timeout (from the connection opening), no complete body within the body timeout (from its
/// head), or no new request within the idle timeout (from the last response). While a request
/// is being handled (read completely, response not yet written) no deadline runs: long polls
/// are not cut.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private var deadline: Scheduled<Void>?
    /// Requests whose head was read and whose response is not yet complete.
    private var inFlight = 0
    /// Whether a request's head was read and its end not yet.
    private var readingBody = false

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        schedule(limits.headerTimeout, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            inFlight += 1
            readingBody = true
            schedule(limits.bodyTimeout, context: context)
        case .body:
            break
        case .end:
            readingBody = false
            cancel()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            inFlight = max(0, inFlight - 1)
            // The next request's head (or the rest of an unread body) must come in time.
            if readingBody {
                if deadline == nil { schedule(limits.bodyTimeout, context: context) }
            } else if inFlight == 0 {
                schedule(limits.idleTimeout, context: context)
            }
        }
        context.write(data, promise: promise)
    }

    private func schedule(_ delay: TimeAmount, context: ChannelHandlerContext) {
        cancel()
        let channel = context.channel
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            channel.close(promise: nil)
        }
    }

    private func cancel() {
        deadline?.cancel()
        deadline = nil
    }
}
