package io.lsmlog.flink.sink;

import io.lsmlog.flink.internal.LogConfigHolder;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Everything a sink's writers and committers need, validated by the builder. */
record LsmLogSinkConfig(
        LogConfigHolder log,
        DeliveryGuarantee guarantee,
        String sinkId,
        int batchMaxRecords,
        long batchMaxBytes,
        Duration batchMaxDelay,
        int maxInFlightBatches)
        implements Serializable {}
