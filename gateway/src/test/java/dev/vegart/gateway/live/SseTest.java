package dev.vegart.gateway.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class SseTest {
  @Test
  void framesAnEventWithOneDataLinePerLine() {
    assertThat(Sse.event("job", "{\"a\":1}")).isEqualTo("event: job\ndata: {\"a\":1}\n\n");
    assertThat(Sse.event("note", "one\ntwo\r\nthree")).isEqualTo("event: note\ndata: one\ndata: two\ndata: three\n\n");
  }

  @Test
  void aCommentCannotEndTheFrameEarly() {
    assertThat(Sse.comment("keep\nalive")).isEqualTo(": keep alive\n\n");
    assertThat(Sse.retry(2000)).isEqualTo("retry: 2000\n\n");
  }

  @Test
  void theLiveReaderHasNoGroupAndStartsAtTheEnd() {
    Properties group = new Properties();
    group.put("bootstrap.servers", "localhost:9092");
    group.put("group.id", "vegart-gateway");
    group.put("auto.offset.reset", "earliest");
    group.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");

    Properties live = LiveEvents.groupless(group);

    assertThat(live).doesNotContainKeys("group.id", "partition.assignment.strategy")
        .containsEntry("auto.offset.reset", "latest").containsEntry("enable.auto.commit", "false")
        .containsEntry("bootstrap.servers", "localhost:9092");
    assertThat(group).containsEntry("group.id", "vegart-gateway");
  }
}
