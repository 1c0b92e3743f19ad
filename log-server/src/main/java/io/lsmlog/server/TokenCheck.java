package io.lsmlog.server;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.lsmlog.client.proto.LogServiceGrpc;
import java.util.Set;

/**
 * Bearer tokens with two roles: a read token may call what reads, a write token everything. Calls
 * without a known token get {@code UNAUTHENTICATED}; a read token calling what writes gets {@code
 * PERMISSION_DENIED}. With no tokens configured every call passes (the server binds to loopback by
 * default for that reason).
 */
final class TokenCheck implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /**
     * Calls that change the log. A group's members only read and commit their positions: a read
     * token may, as a Kafka consumer commits offsets with read rights.
     */
    private static final Set<String> WRITES =
            Set.of(
                    LogServiceGrpc.getAppendMethod().getFullMethodName(),
                    LogServiceGrpc.getAppendStreamMethod().getFullMethodName(),
                    LogServiceGrpc.getFlushMethod().getFullMethodName(),
                    LogServiceGrpc.getCheckpointMethod().getFullMethodName(),
                    LogServiceGrpc.getRetentionMethod().getFullMethodName(),
                    LogServiceGrpc.getStageMethod().getFullMethodName(),
                    LogServiceGrpc.getCommitStageMethod().getFullMethodName(),
                    LogServiceGrpc.getAbortStaleStagesMethod().getFullMethodName(),
                    LogServiceGrpc.getAbortStageMethod().getFullMethodName(),
                    LogServiceGrpc.getCommitGroupWithMethod().getFullMethodName(),
                    LogServiceGrpc.getResetGroupMethod().getFullMethodName(),
                    LogServiceGrpc.getDeleteGroupMethod().getFullMethodName());

    private final ServerConfig config;

    TokenCheck(ServerConfig config) {
        this.config = config;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!config.requiresTokens() || method.startsWith("grpc.health.")) {
            return next.startCall(call, headers);
        }
        String header = headers.get(AUTHORIZATION);
        String token =
                header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
        boolean writer = token != null && config.writeTokens().contains(token);
        boolean reader = writer || (token != null && config.readTokens().contains(token));
        if (!reader) {
            call.close(
                    Status.UNAUTHENTICATED.withDescription(
                            token == null
                                    ? "this server needs a token: give one with --token (or"
                                            + " ClientConfig.withToken)"
                                    : "the token is not known to this server"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        if (!writer && WRITES.contains(method)) {
            call.close(
                    Status.PERMISSION_DENIED.withDescription(
                            "a read token cannot call "
                                    + call.getMethodDescriptor().getBareMethodName()
                                    + ": it needs a write token"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }
}
