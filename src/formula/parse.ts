/**
 * lme4 formula syntax -> an expression tree. Grammar (R's operator precedence, lowest first):
 *
 *   formula  := sum '~' sum
 *   sum      := product (('+' | '-') product)*          a leading '-' is allowed ('-1')
 *   product  := power   (('*' | ':') power)*            ':' binds tighter than '*'
 *   atom     := NAME | `quoted name` | NUMBER | '(' sum ')' | '(' sum ('|' | '||') sum ')'
 */
import { UserError } from '../errors.ts';

/** A node of a parsed formula. */
export type Expr =
  | { kind: 'variable'; name: string }
  | { kind: 'number'; value: number }
  | { kind: 'sum'; left: Expr | null; right: Expr; op: '+' | '-' }
  | { kind: 'interaction'; left: Expr; right: Expr; op: ':' | '*' }
  | { kind: 'bar'; effects: Expr; group: Expr; double: boolean; text: string };

interface Token { type: 'name' | 'number' | 'op'; text: string; at: number }

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) throw malformed(text, i, 'unclosed backquote');
      tokens.push({ type: 'name', text: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const name = /^[A-Za-z._][A-Za-z0-9._]*/.exec(text.slice(i));
    if (name) { tokens.push({ type: 'name', text: name[0], at: i }); i += name[0].length; continue; }
    const num = /^[0-9]+(\.[0-9]*)?/.exec(text.slice(i));
    if (num) { tokens.push({ type: 'number', text: num[0], at: i }); i += num[0].length; continue; }
    if (text.startsWith('||', i)) { tokens.push({ type: 'op', text: '||', at: i }); i += 2; continue; }
    if ('~+-*:()|'.includes(ch)) { tokens.push({ type: 'op', text: ch, at: i }); i++; continue; }
    throw malformed(text, i, `unexpected character '${ch}'`);
  }
  return tokens;
}

function malformed(text: string, at: number, why: string): UserError {
  return new UserError(`malformed formula '${text}': ${why} at position ${at + 1}`);
}

/** Parses `response ~ rhs` into the response's name and the right-hand side's expression tree. */
export function parseFormulaText(text: string): { response: string; rhs: Expr } {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const atText = (): number => (pos < tokens.length ? tokens[pos].at : text.length);
  const expect = (op: string): void => {
    const t = peek();
    if (!t || t.type !== 'op' || t.text !== op) {
      throw malformed(text, atText(), t ? `expected '${op}' but found '${t.text}'` : `expected '${op}' at the end`);
    }
    pos++;
  };

  function sum(): Expr {
    let left: Expr | null = null;
    const first = peek();
    if (first && first.type === 'op' && first.text === '-') {
      pos++;
      left = { kind: 'sum', left: null, right: product(), op: '-' };
    } else {
      left = product();
    }
    for (let t = peek(); t && t.type === 'op' && (t.text === '+' || t.text === '-'); t = peek()) {
      pos++;
      left = { kind: 'sum', left, right: product(), op: t.text as '+' | '-' };
    }
    return left;
  }
  /** A left-associative chain `operand (op operand)*` of one interaction operator. */
  function chain(op: ':' | '*', operand: () => Expr): Expr {
    let left = operand();
    for (let t = peek(); t && t.type === 'op' && t.text === op; t = peek()) {
      pos++;
      left = { kind: 'interaction', left, right: operand(), op };
    }
    return left;
  }
  const colon = (): Expr => chain(':', atom);
  const product = (): Expr => chain('*', colon);
  function atom(): Expr {
    const t = peek();
    if (!t) throw malformed(text, text.length, 'a term is missing');
    if (t.type === 'name') { pos++; return { kind: 'variable', name: t.text }; }
    if (t.type === 'number') { pos++; return { kind: 'number', value: Number(t.text) }; }
    if (t.text === '(') {
      pos++;
      const start = atText();
      const inner = sum();
      const bar = peek();
      if (bar && bar.type === 'op' && (bar.text === '|' || bar.text === '||')) {
        pos++;
        const group = sum();
        const end = atText();
        expect(')');
        return { kind: 'bar', effects: inner, group, double: bar.text === '||', text: text.slice(start, end).trim() };
      }
      expect(')');
      return inner;
    }
    throw malformed(text, t.at, `unexpected '${t.text}'`);
  }

  const response = peek();
  if (!response || response.type !== 'name') throw malformed(text, 0, 'expected a response variable before \'~\'');
  pos++;
  expect('~');
  const rhs = sum();
  if (pos < tokens.length) throw malformed(text, tokens[pos].at, `unexpected '${tokens[pos].text}'`);
  return { response: response.text, rhs };
}
