import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.internals.AbstractPartitionAssignor;
import org.apache.kafka.common.TopicPartition;

/**
 * The Java client's own RangeAssignor and RoundRobinAssignor, run on group layouts read from
 * stdin, for comparing this library's assigners with them. Input, one layout after another:
 *   topic <name> <partition count>
 *   member <member id> <group instance id, or -> <topic,topic,...>
 *   end
 * Output per layout: "<strategy>\t<member id>\t<topic>:<partition>,..." for every member, in
 * the order Java listed its partitions, then "end".
 * Usage: java -cp <kafka-clients jars>:<dir> AssignorResults
 */
public final class AssignorResults {
  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    Map<String, Integer> partitionsPerTopic = new LinkedHashMap<>();
    Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    String line;
    while ((line = in.readLine()) != null) {
      String[] fields = line.split(" ");
      switch (fields[0]) {
        case "topic":
          partitionsPerTopic.put(fields[1], Integer.parseInt(fields[2]));
          break;
        case "member":
          Subscription subscription = new Subscription(Arrays.asList(fields[3].split(",")));
          if (!fields[2].equals("-")) subscription.setGroupInstanceId(Optional.of(fields[2]));
          subscriptions.put(fields[1], subscription);
          break;
        case "end":
          print(out, "range", new RangeAssignor(), partitionsPerTopic, subscriptions);
          print(out, "roundrobin", new RoundRobinAssignor(), partitionsPerTopic, subscriptions);
          out.append("end\n");
          partitionsPerTopic = new LinkedHashMap<>();
          subscriptions = new LinkedHashMap<>();
          break;
        default:
          if (!line.isEmpty()) throw new IllegalArgumentException("unknown line: " + line);
      }
    }
    System.out.print(out);
    System.out.flush();
  }

  private static void print(
      StringBuilder out,
      String strategy,
      AbstractPartitionAssignor assignor,
      Map<String, Integer> partitionsPerTopic,
      Map<String, Subscription> subscriptions) {
    Map<String, List<TopicPartition>> assignment =
        assignor.assign(partitionsPerTopic, subscriptions);
    for (Map.Entry<String, List<TopicPartition>> entry : assignment.entrySet()) {
      StringBuilder partitions = new StringBuilder();
      for (TopicPartition partition : entry.getValue()) {
        if (partitions.length() > 0) partitions.append(',');
        partitions.append(partition.topic()).append(':').append(partition.partition());
      }
      out.append(strategy).append('\t').append(entry.getKey()).append('\t').append(partitions)
          .append('\n');
    }
  }
}
