import { describe, expect, it } from 'vitest';

import { shownUrl, withoutSecrets } from '../../src/output/redact.js';

describe('a URL shown to a person', () => {
  it('has its user info and every query value masked', () => {
    expect(shownUrl('http://admin:S3cretPW@127.0.0.1:1/x?token=QTOKEN&job=a')).toBe(
      'http://***:***@127.0.0.1:1/x?token=***&job=***',
    );
    expect(shownUrl('https://gateway.example:9091/')).toBe('https://gateway.example:9091/');
    expect(shownUrl('not a url')).toBe('not a url');
  });

  it('is masked wherever a message repeats it', () => {
    const url = 'http://u:pw@h:1/?k=v';
    expect(withoutSecrets(`connect ECONNREFUSED ${url} failed`, url)).toBe(
      'connect ECONNREFUSED http://***:***@h:1/?k=*** failed',
    );
  });
});
