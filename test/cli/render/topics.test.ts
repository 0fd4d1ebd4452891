import { renderTopics, topicsJson } from '../../../src/cli/render/topics.js';

describe('SHOW TOPICS', () => {
  it('lists topics sorted by name, as ksqlDB prints them', () => {
    // A ksqlDB 7.4 session, verbatim.
    const out = renderTopics(
      [
        { name: '_schemas', partitions: 1, replicas: 3 },
        { name: '_confluent-ksql-default__command_topic', partitions: 1, replicas: 1 },
        { name: 'default_ksql_processing_log', partitions: 1, replicas: 1 },
      ],
      false,
    );
    expect(out).toBe(
      ' Kafka Topic                            | Partitions | Partition Replicas \n' +
        '--------------------------------------------------------------------------\n' +
        ' _confluent-ksql-default__command_topic | 1          | 1                  \n' +
        ' _schemas                               | 1          | 3                  \n' +
        ' default_ksql_processing_log            | 1          | 1                  \n' +
        '--------------------------------------------------------------------------\n',
    );
  });

  it('adds consumer counts for SHOW TOPICS EXTENDED', () => {
    // A ksqlDB 7.4 session, verbatim.
    const out = renderTopics(
      [
        { name: 'readings', partitions: 1, replicas: 1, consumers: 0, consumerGroups: 0 },
        { name: 'default_ksql_processing_log', partitions: 1, replicas: 1 },
      ],
      true,
    );
    expect(out).toBe(
      ' Kafka Topic                 | Partitions | Partition Replicas | Consumers | ConsumerGroups \n' +
        '--------------------------------------------------------------------------------------------\n' +
        ' default_ksql_processing_log | 1          | 1                  | 0         | 0              \n' +
        ' readings                    | 1          | 1                  | 0         | 0              \n' +
        '--------------------------------------------------------------------------------------------\n',
    );
  });

  it('has the shape of ksqlDB’s KafkaTopicsList entities: replicas per partition', () => {
    expect(topicsJson([{ name: 'ratings', partitions: 2, replicas: 1 }], false)).toEqual({
      '@type': 'kafka_topics',
      topics: [{ name: 'ratings', replicaInfo: [1, 1] }],
    });
    expect(topicsJson([{ name: 'ratings', partitions: 1, replicas: 3, consumers: 2, consumerGroups: 1 }], true)).toEqual({
      '@type': 'kafka_topics_extended',
      topics: [{ name: 'ratings', replicaInfo: [3], consumerCount: 2, consumerGroupCount: 1 }],
    });
  });
});
