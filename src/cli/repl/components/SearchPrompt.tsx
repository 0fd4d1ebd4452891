/** Ctrl-R: the query and the history entry it matches. */
import { Box, Text } from 'ink';
import type { SearchState } from '../prompt.js';
import { InputPrompt } from './InputPrompt.js';

export function SearchPrompt({ search, text, cursor }: { search: SearchState; text: string; cursor: number }) {
  const label = `(${search.match < 0 && search.query !== '' ? 'failed ' : ''}reverse-i-search)\`${search.query}': `;
  return (
    <Box flexDirection="column">
      <InputPrompt text={text} cursor={cursor} prompt={label} />
    </Box>
  );
}
