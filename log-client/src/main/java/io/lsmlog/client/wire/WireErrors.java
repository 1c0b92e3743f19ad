package io.lsmlog.client.wire;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lsmlog.GroupFencedException;
import io.lsmlog.InvalidArgumentException;
import io.lsmlog.LogClosedException;
import io.lsmlog.LogCorruptedException;
import io.lsmlog.LogDiskFullException;
import io.lsmlog.LogException;
import io.lsmlog.LogStorageException;
import io.lsmlog.SequenceDroppedException;
import io.lsmlog.client.LogAccessDeniedException;
import io.lsmlog.client.LogUnavailableException;
import io.lsmlog.client.ProtocolVersionException;
import io.lsmlog.client.proto.ErrorMsg;

/**
 * Typed errors across the wire: the server sends a status code plus the exception's kind (and, for
 * a dropped sequence, its numbers) in the trailers; the client throws the same {@link LogException}
 * subtype, its message prefixed with the server's address.
 */
public final class WireErrors {
    public static final Metadata.Key<String> KIND =
            Metadata.Key.of("lsmlog-error-kind", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> REQUESTED =
            Metadata.Key.of("lsmlog-requested", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> FIRST_AVAILABLE =
            Metadata.Key.of("lsmlog-first-available", Metadata.ASCII_STRING_MARSHALLER);

    static final String INVALID = "invalid-argument";
    static final String DROPPED = "sequence-dropped";
    static final String CLOSED = "closed";
    static final String CORRUPTED = "corrupted";
    static final String DISK_FULL = "disk-full";
    static final String STORAGE = "storage";
    static final String VERSION = "protocol-version";
    static final String FENCED = "group-fenced";
    static final String OTHER = "log";

    private WireErrors() {}

    /** The server side: an exception from the log as a status the client can type again. */
    public static StatusRuntimeException toStatus(Throwable t) {
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        Metadata trailers = new Metadata();
        Status status;
        String kind;
        if (t instanceof SequenceDroppedException d) {
            status = Status.OUT_OF_RANGE;
            kind = DROPPED;
            trailers.put(REQUESTED, Long.toString(d.requested()));
            trailers.put(FIRST_AVAILABLE, Long.toString(d.firstAvailable()));
        } else if (t instanceof InvalidArgumentException) {
            status = Status.INVALID_ARGUMENT;
            kind = INVALID;
        } else if (t instanceof LogClosedException) {
            status = Status.UNAVAILABLE;
            kind = CLOSED;
        } else if (t instanceof LogCorruptedException) {
            status = Status.DATA_LOSS;
            kind = CORRUPTED;
        } else if (t instanceof LogDiskFullException) {
            status = Status.RESOURCE_EXHAUSTED;
            kind = DISK_FULL;
        } else if (t instanceof LogStorageException) {
            status = Status.INTERNAL;
            kind = STORAGE;
        } else if (t instanceof GroupFencedException) {
            status = Status.ABORTED;
            kind = FENCED;
        } else if (t instanceof ProtocolVersionException) {
            status = Status.FAILED_PRECONDITION;
            kind = VERSION;
        } else {
            status = Status.INTERNAL; // any other LogException, or a bug on the server
            kind = OTHER;
        }
        trailers.put(KIND, kind);
        String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        return status.withDescription(message).asRuntimeException(trailers);
    }

    /** The client side: a failed call as the log exception it stands for. */
    public static LogException toLogException(Throwable t, String address) {
        if (t instanceof LogException e) {
            return e;
        }
        Status status = Status.fromThrowable(t);
        Metadata trailers = Status.trailersFromThrowable(t);
        String kind = trailers == null ? null : trailers.get(KIND);
        String message =
                address
                        + ": "
                        + (status.getDescription() == null
                                ? status.getCode().toString()
                                : status.getDescription());
        if (kind == null) {
            return switch (status.getCode()) {
                case UNAUTHENTICATED, PERMISSION_DENIED -> new LogAccessDeniedException(message);
                case RESOURCE_EXHAUSTED -> new InvalidArgumentException(message);
                case INVALID_ARGUMENT -> new InvalidArgumentException(message);
                case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED ->
                        new LogUnavailableException(message, t);
                default -> new LogException(message, t);
            };
        }
        return switch (kind) {
            case DROPPED ->
                    new SequenceDroppedException(
                            Long.parseLong(trailers.get(REQUESTED)),
                            Long.parseLong(trailers.get(FIRST_AVAILABLE)));
            case INVALID -> new InvalidArgumentException(message);
            case CLOSED -> new LogClosedException(message);
            case CORRUPTED -> new LogCorruptedException(message);
            case DISK_FULL -> new LogDiskFullException(message, null);
            case STORAGE -> new LogStorageException(message, null);
            case VERSION -> new ProtocolVersionException(message);
            case FENCED -> new GroupFencedException(message);
            default -> new LogException(message);
        };
    }

    /** An error inside a stream's reply (the stream goes on), as {@link #toStatus} types it. */
    public static ErrorMsg toErrorMsg(Throwable t) {
        StatusRuntimeException s = toStatus(t);
        Metadata m = s.getTrailers();
        ErrorMsg.Builder b =
                ErrorMsg.newBuilder()
                        .setKind(m == null || m.get(KIND) == null ? OTHER : m.get(KIND))
                        .setMessage(
                                s.getStatus().getDescription() == null
                                        ? ""
                                        : s.getStatus().getDescription());
        if (m != null && m.get(REQUESTED) != null) {
            b.setRequested(Long.parseLong(m.get(REQUESTED)));
            b.setFirstAvailable(Long.parseLong(m.get(FIRST_AVAILABLE)));
        }
        return b.build();
    }

    public static LogException fromErrorMsg(ErrorMsg e, String address) {
        Metadata m = new Metadata();
        m.put(KIND, e.getKind());
        if (DROPPED.equals(e.getKind())) {
            m.put(REQUESTED, Long.toString(e.getRequested()));
            m.put(FIRST_AVAILABLE, Long.toString(e.getFirstAvailable()));
        }
        return toLogException(
                Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException(m), address);
    }

    /** Whether a failed call is worth retrying on a new connection. */
    public static boolean isTransient(Throwable t) {
        Status.Code code = Status.fromThrowable(t).getCode();
        Metadata trailers = Status.trailersFromThrowable(t);
        boolean typed = trailers != null && trailers.get(KIND) != null;
        return !typed && code == Status.Code.UNAVAILABLE;
    }
}
