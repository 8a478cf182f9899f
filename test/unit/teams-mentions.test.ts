import { plainText } from '../../src/teams/mentions';

describe('plainText (a Teams message as command words)', () => {
  it('drops HTML tags and entities and keeps <@id> tokens', () => {
    expect(plainText('<p>grant&nbsp;<@aad-1> senior</p>')).toBe('grant <@aad-1> senior');
    expect(plainText('weights a&gt;b')).toBe('weights a>b');
  });

  it('leaves a text of many unclosed < as it is', () => {
    const text = '<'.repeat(4_000);
    expect(plainText(text)).toBe(text);
  });
});
