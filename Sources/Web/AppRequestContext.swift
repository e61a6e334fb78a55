import BreakfixCore
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The request context of every route: who is asking (from the token cookie or bearer header).
public struct AppRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<AppRequestContext>
    /// The caller, when their token is valid.
    public var user: UserRecord?
    public var token: String?
    /// The peer's address, for per-client rate limits.
    public let remoteAddress: SocketAddress?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Small JSON bodies only: nothing this API takes is large.
    public var maxUploadSize: Int { 64 * 1024 }
}
