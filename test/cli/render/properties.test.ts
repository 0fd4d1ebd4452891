import type { PropertyInfo } from '../../../src/engine/index.js';
import { propertiesJson, renderProperties } from '../../../src/cli/render/properties.js';

describe('SHOW PROPERTIES', () => {
  it('lists properties as ksqlDB’s PropertiesListTableBuilder', () => {
    // ksqlDB's ConsoleTest.testPrintPropertyList, verbatim.
    const props: PropertyInfo[] = [
      { name: 'k3', scope: 'KSQL', level: 'SERVER', value: 'true' },
      { name: 'k1', scope: 'KSQL', level: 'SERVER', value: '1' },
      { name: 'k2', scope: 'KSQL', level: 'SERVER', value: 'v2' },
    ];
    expect(renderProperties(props)).toBe(
      ' Property | Scope | Default override | Effective Value \n' +
        '-------------------------------------------------------\n' +
        ' k1       | KSQL  | SERVER           | 1               \n' +
        ' k2       | KSQL  | SERVER           | v2              \n' +
        ' k3       | KSQL  | SERVER           | true            \n' +
        '-------------------------------------------------------\n',
    );
  });

  it('shows a property SET in this session as SESSION', () => {
    const props: PropertyInfo[] = [
      { name: 'auto.offset.reset', scope: 'CONSUMER', level: 'SESSION', defaultOverride: 'earliest', value: 'earliest' },
      { name: 'commit.interval.ms', scope: 'STREAMS', level: 'SERVER', value: '2000' },
    ];
    expect(renderProperties(props)).toBe(
      ' Property           | Scope    | Default override | Effective Value \n' +
        '--------------------------------------------------------------------\n' +
        ' auto.offset.reset  | CONSUMER | SESSION          | earliest        \n' +
        ' commit.interval.ms | STREAMS  | SERVER           | 2000            \n' +
        '--------------------------------------------------------------------\n',
    );
  });

  it('has the shape of ksqlDB’s PropertiesList entity', () => {
    expect(
      propertiesJson([
        { name: 'auto.offset.reset', scope: 'CONSUMER', level: 'SESSION', defaultOverride: 'earliest', value: 'earliest' },
        { name: 'k1', scope: 'KSQL', level: 'SERVER', value: '1' },
      ]),
    ).toEqual({
      '@type': 'properties',
      properties: [
        { name: 'auto.offset.reset', scope: 'CONSUMER', value: 'earliest' },
        { name: 'k1', scope: 'KSQL', value: '1' },
      ],
      overwrittenProperties: ['auto.offset.reset'],
      defaultProperties: [],
    });
  });
});
