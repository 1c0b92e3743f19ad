package io.lsmlog;

/**
 * A reader-group call by a member the coordinator no longer counts in (its session expired, or the
 * coordinator restarted) or for a range it does not own: nothing was committed. A {@link
 * ReaderGroup} rejoins by itself and goes on from the committed positions.
 */
public class GroupFencedException extends LogException {
    public GroupFencedException(String message) {
        super(message);
    }
}
