package io.lsmlog;

/**
 * A scan asked, with {@link SeqRange#failIfDropped()}, to start at a sequence that retention has
 * already dropped. Without that option a scan starts at the first sequence still kept, and {@link
 * LogRead#firstSequence()} tells the caller where that is.
 */
public class SequenceDroppedException extends LogException {
    private final long requested;
    private final long firstAvailable;

    public SequenceDroppedException(long requested, long firstAvailable) {
        super(
                "sequences "
                        + requested
                        + ".."
                        + (firstAvailable - 1)
                        + " were dropped by retention; the first sequence still kept is "
                        + firstAvailable);
        this.requested = requested;
        this.firstAvailable = firstAvailable;
    }

    /** The sequence the scan asked to start at. */
    public long requested() {
        return requested;
    }

    /** The first sequence still kept: a scan from here reads what is left. */
    public long firstAvailable() {
        return firstAvailable;
    }
}
