/** The input being typed, highlighted, with its prompts and the cursor. */
import { Box, Text } from 'ink';
import { STYLES } from '../highlight.js';
import { CONTINUATION, PROMPT, inputLines, type Span } from '../input-view.js';

export interface InputPromptProps {
  readonly text: string;
  /** Where the cursor is; none when the input is shown as entered (the echo). */
  readonly cursor?: number;
  /** Replaces the prompt of the first line (reverse search shows its own). */
  readonly prompt?: string;
}

export function InputPrompt({ text, cursor, prompt = PROMPT }: InputPromptProps) {
  const lines = inputLines(text, cursor);
  return (
    <Box flexDirection="column">
      {lines.map((spans, i) => (
        <Box key={i}>
          <Box flexShrink={0}>
            <Text bold={i === 0}>{i === 0 ? prompt : CONTINUATION}</Text>
          </Box>
          <Text wrap="wrap">
            {spans.length === 0 ? '' : spans.map((s, j) => <SpanText key={j} span={s} />)}
          </Text>
        </Box>
      ))}
    </Box>
  );
}

function SpanText({ span }: { span: Span }) {
  const style = STYLES[span.kind];
  return (
    <Text
      {...(style.color !== undefined ? { color: style.color } : {})}
      bold={style.bold ?? false}
      dimColor={style.dim ?? false}
      inverse={span.cursor ?? false}
    >
      {span.text}
    </Text>
  );
}
