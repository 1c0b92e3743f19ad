package io.lsmlog;

import java.util.List;

/**
 * What a retention pass dropped ({@link Log#applyRetention}): the segments, oldest first, and the
 * log's size on disk before and after.
 */
public record RetentionResult(List<Segment> dropped, long bytesBefore, long bytesAfter) {
    public RetentionResult {
        dropped = List.copyOf(dropped);
    }
}
