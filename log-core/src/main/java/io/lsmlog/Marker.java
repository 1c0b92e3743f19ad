package io.lsmlog;

/**
 * A named progress mark written atomically with an append, for idempotent producers: a producer
 * that appends a batch together with {@code (epoch, position)} can tell after a crash exactly how
 * far it got (e.g. the Flink sink: epoch = checkpoint id, position = records committed).
 */
public record Marker(long epoch, long position) {

    /** What {@code appendWithMarker} accepts: a marker id and a marker, or a typed refusal. */
    public static void validate(String markerId, Marker marker) {
        if (markerId == null || markerId.isEmpty() || marker == null) {
            throw new InvalidArgumentException(
                    "appendWithMarker needs a marker id and a marker, got id "
                            + (markerId == null ? "null" : "'" + markerId + "'")
                            + " and marker "
                            + marker);
        }
    }
}
