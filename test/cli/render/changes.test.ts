import {
  propertyChangeJson,
  renderPropertyChange,
  renderVariableChange,
  variableChangeJson,
} from '../../../src/cli/render/changes.js';

describe('SET and UNSET', () => {
  it('confirms a first SET with the UNSET hint, as ksqlDB’s CLI', () => {
    expect(renderPropertyChange({ name: 'auto.offset.reset', newValue: 'earliest' })).toBe(
      "Successfully changed local property 'auto.offset.reset' to 'earliest'. Use the UNSET command to revert your change.\n",
    );
  });

  it('names the value a SET replaced', () => {
    expect(renderPropertyChange({ name: 'auto.offset.reset', oldValue: 'earliest', newValue: 'latest' })).toBe(
      "Successfully changed local property 'auto.offset.reset' from 'earliest' to 'latest'.\n",
    );
  });

  it('confirms an UNSET with the value it removed', () => {
    expect(renderPropertyChange({ name: 'auto.offset.reset', oldValue: 'earliest' })).toBe(
      "Successfully unset local property 'auto.offset.reset' (value was 'earliest').\n",
    );
  });

  it('says so when an UNSET had nothing to remove', () => {
    expect(renderPropertyChange({ name: 'auto.offset.reset' })).toBe(
      "Cannot unset local property 'auto.offset.reset' which was never set in the first place\n",
    );
  });

  it('has a stable JSON shape', () => {
    expect(propertyChangeJson({ name: 'p', newValue: 'v' })).toEqual({ '@type': 'property_set', name: 'p', oldValue: null, newValue: 'v' });
    expect(propertyChangeJson({ name: 'p', oldValue: 'v' })).toEqual({ '@type': 'property_unset', name: 'p', oldValue: 'v', newValue: null });
  });
});

describe('DEFINE and UNDEFINE', () => {
  it('print nothing, as in ksqlDB’s CLI', () => {
    expect(renderVariableChange({ name: 'format', value: 'AVRO' })).toBe('');
    expect(renderVariableChange({ name: 'format' })).toBe('');
  });

  it('have a stable JSON shape', () => {
    expect(variableChangeJson({ name: 'format', value: 'AVRO' })).toEqual({ '@type': 'variable_defined', name: 'format', value: 'AVRO' });
    expect(variableChangeJson({ name: 'format' })).toEqual({ '@type': 'variable_undefined', name: 'format', value: null });
  });
});
