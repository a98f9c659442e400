import { percentEncode, signRpcRequest, signatureMatches, stringToSign } from './rpc-signature.ts';

// Aliyun's published worked example of the RPC signature (ECS DescribeRegions, secret "testsecret").
const published = new Map(
  Object.entries({
    Format: 'XML',
    Version: '2014-05-26',
    AccessKeyId: 'testid',
    SignatureMethod: 'HMAC-SHA1',
    Timestamp: '2016-02-23T12:46:24Z',
    SignatureVersion: '1.0',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    Action: 'DescribeRegions',
  }),
);

describe('Aliyun RPC signature (the fake endpoint’s own implementation)', () => {
  it('reproduces the string to sign and the signature of Aliyun’s published example', () => {
    expect(stringToSign('GET', published)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1' +
        '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0' +
        '%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
    expect(signRpcRequest('GET', published, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('percent-encodes per RFC 3986, including the characters encodeURIComponent leaves alone', () => {
    expect(percentEncode("a b+c*d!e'f(g)h~i-j_k.l")).toBe('a%20b%2Bc%2Ad%21e%27f%28g%29h~i-j_k.l');
    expect(percentEncode('验证码 <b>')).toBe('%E9%AA%8C%E8%AF%81%E7%A0%81%20%3Cb%3E');
  });

  it('accepts only the signature made with the right secret over the same parameters', () => {
    const signed = new Map([...published, ['Signature', signRpcRequest('POST', published, 'testsecret')]]);

    expect(signatureMatches('POST', signed, 'testsecret')).toBe(true);
    expect(signatureMatches('POST', signed, 'another-secret')).toBe(false);
    expect(signatureMatches('GET', signed, 'testsecret')).toBe(false);
    expect(signatureMatches('POST', new Map([...signed, ['Action', 'DescribeInstances']]), 'testsecret')).toBe(false);
  });
});
