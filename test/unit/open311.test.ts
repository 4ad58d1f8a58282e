import { describe, expect, it } from 'vitest';
import { insidePudong, open311Status, scrubPersonalData } from '../../src/server/modules/open311/policy.ts';
import { isoShanghai } from '../../src/server/modules/open311/routes.ts';
import { escapeXml, list, toXml } from '../../src/server/modules/open311/xml.ts';

describe('the Open311 XML serializer', () => {
  it('escapes the five special characters and drops what XML 1.0 cannot carry', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
    expect(escapeXml('bell\u0007 nul\u0000 tab\tnewline\n')).toBe('bell nul tab\tnewline\n');
    expect(escapeXml('lone \uD800 surrogate, pair 😀')).toBe('lone  surrogate, pair 😀');
    expect(escapeXml('已有 &amp; 实体')).toBe('已有 &amp;amp; 实体');
  });

  it('writes elements in key order, nulls as empty elements, lists as repeated elements', () => {
    const xml = toXml('services', list('service', [{ service_code: 'C0101', metadata: false, group: null, lat: 31.5 }, { service_code: 'B0114', metadata: true, group: '部件', lat: 0 }]));
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<services><service><service_code>C0101</service_code><metadata>false</metadata><group/><lat>31.5</lat></service>' +
        '<service><service_code>B0114</service_code><metadata>true</metadata><group>部件</group><lat>0</lat></service></services>\n',
    );
    expect(toXml('errors', list('error', []))).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<errors></errors>\n');
  });

  it('refuses element names and numbers XML cannot express', () => {
    expect(() => toXml('bad name', 'x')).toThrow(/element name/);
    expect(() => toXml('root', { '1st': 'x' })).toThrow(/element name/);
    expect(() => toXml('root', { lat: Number.NaN })).toThrow(/finite/);
  });
});

describe('Open311 policy', () => {
  it('maps closed and rejected to closed, everything else to open', () => {
    expect(['reported', 'registered', 'dispatched', 'in_progress', 'handled', 'suspended'].map(open311Status)).toEqual(Array(6).fill('open'));
    expect(['closed', 'rejected'].map(open311Status)).toEqual(['closed', 'closed']);
  });

  it('masks mobile and ID numbers in published text', () => {
    expect(scrubPersonalData('联系 13812345678 或 138-1234-5678')).toBe('联系 138****5678 或 138****5678');
    expect(scrubPersonalData('身份证 31011519800101123X')).toBe('身份证 310***********123X');
    expect(scrubPersonalData('工单 GZ20261130-000001，3号楼')).toBe('工单 GZ20261130-000001，3号楼');
  });

  it('checks coordinates against the rectangle around Pudong', () => {
    expect(insidePudong(31.23, 121.51)).toBe(true);
    expect(insidePudong(39.9, 116.4)).toBe(false);
  });

  it('writes times in Shanghai with their offset', () => {
    expect(isoShanghai(new Date('2026-11-30T09:30:00.123Z'))).toBe('2026-11-30T17:30:00+08:00');
  });
});
