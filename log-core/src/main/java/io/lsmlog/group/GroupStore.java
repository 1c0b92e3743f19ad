package io.lsmlog.group;

import io.lsmlog.AppendResult;
import io.lsmlog.GroupRange;
import io.lsmlog.Record;
import java.util.List;
import java.util.SortedMap;

/** Where a coordinator keeps its groups' ranges and positions: the log's metadata. */
public interface GroupStore {
    /** Every stored group, by name. */
    SortedMap<String, List<GroupRange>> load();

    /** Stores a group's ranges and positions (null: deletes the group), durably. */
    void write(String group, List<GroupRange> ranges);

    /** Appends the records and stores the group's ranges and positions in one atomic write. */
    AppendResult writeWith(String group, List<GroupRange> ranges, List<Record> records);
}
