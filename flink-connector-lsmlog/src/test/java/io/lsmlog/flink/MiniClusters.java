package io.lsmlog.flink;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniClusters the connector's integration tests run on. */
public final class MiniClusters {
    private MiniClusters() {}

    /** A MiniCluster with the given TaskManagers and slots per TaskManager. */
    public static MiniClusterExtension of(int taskManagers, int slotsPerTaskManager) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(taskManagers)
                        .setNumberSlotsPerTaskManager(slotsPerTaskManager)
                        .build());
    }
}
