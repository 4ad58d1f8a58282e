import 'leaflet/dist/leaflet.css';
import { useQuery } from '@tanstack/react-query';
import { Alert, Flex, Tag, Typography } from 'antd';
import { CircleMarker, MapContainer, Popup, TileLayer, useMap } from 'react-leaflet';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { wgs84ToGcj02 } from '../../../shared/geo.ts';
import { api } from '../../api.ts';
import { usePreferences } from '../../preferences.tsx';
import type { CaseView } from '../../types.ts';
import { caseStatusLabel } from './caseLabels.ts';
import { NextDeadline, useNow } from './CaseClocks.tsx';

/** Marker colours follow the board's countdown: on time, warned, overdue, paused or nothing running. */
const TONE_COLOUR = { ok: '#389e0d', warned: '#d46b08', overdue: '#cf1322', idle: '#8c8c8c' } as const;

function toneOf(c: CaseView, now: number): keyof typeof TONE_COLOUR {
  const running = c.clocks.filter((k) => !k.pausedAt).sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
  if (!running) return 'idle';
  if (Date.parse(running.dueAt) <= now) return 'overdue';
  return Date.parse(running.warnAt) <= now ? 'warned' : 'ok';
}

/** Fits the view to the markers once they are known. */
function FitTo({ points }: { points: Array<[number, number]> }) {
  const map = useMap();
  // refit only when the set of points changes, not on every render
  const key = points.map((p) => p.join(',')).join(';');
  useEffect(() => {
    const bounds = key ? key.split(';').map((p) => p.split(',').map(Number) as [number, number]) : [];
    if (bounds.length > 0) map.fitBounds(bounds, { padding: [32, 32], maxZoom: 16 });
  }, [map, key]);
  return null;
}

/**
 * The board's cases on a map. Coordinates are stored in WGS-84; when the configured tiles are drawn
 * in GCJ-02 (高德, 腾讯) the markers are shifted onto them. Without configured tiles (MAP_TILE_URL)
 * the markers stand on a plain ground, which still shows where problems cluster.
 */
export function CaseMap({ cases }: { cases: readonly CaseView[] }) {
  const { locale, t } = usePreferences();
  const now = useNow();
  const settings = useQuery({ queryKey: ['system', 'map'], queryFn: api.mapSettings, staleTime: Infinity });
  if (!settings.data) return null;
  const { tileUrl, crs, attribution, center, zoom } = settings.data;
  const place = (c: CaseView): [number, number] => {
    const p = crs === 'gcj02' ? wgs84ToGcj02(c.lat!, c.lng!) : { lat: c.lat!, lng: c.lng! };
    return [p.lat, p.lng];
  };
  const located = cases.filter((c) => c.lat !== null && c.lng !== null);
  const points = located.map(place);
  return (
    <Flex vertical gap="small">
      {!tileUrl && <Alert type="info" showIcon message={t('map.noTiles')} />}
      <Typography.Text type="secondary">{t('map.located', { shown: located.length, total: cases.length })}</Typography.Text>
      <div className="gz-map" data-testid="case-map">
        <MapContainer center={[center.lat, center.lng]} zoom={zoom} scrollWheelZoom style={{ height: '100%', width: '100%' }}>
          {tileUrl && <TileLayer url={tileUrl} attribution={attribution} subdomains={crs === 'gcj02' ? '1234' : 'abc'} />}
          <FitTo points={points} />
          {located.map((c, i) => (
            <CircleMarker key={c.id} center={points[i]!} radius={9} pathOptions={{ color: '#fff', weight: 2, fillColor: TONE_COLOUR[toneOf(c, now)], fillOpacity: 0.9 }}>
              <Popup>
                <Flex vertical gap={4}>
                  <Link to={`/cases/${c.id}`}>{c.number}</Link>
                  <span>
                    <Tag>{caseStatusLabel(c.status, locale)}</Tag>
                    {c.categoryName}
                  </span>
                  <NextDeadline clocks={c.clocks} />
                </Flex>
              </Popup>
            </CircleMarker>
          ))}
        </MapContainer>
      </div>
    </Flex>
  );
}
