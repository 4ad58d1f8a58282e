import { AimOutlined, AudioOutlined, CameraOutlined, CheckCircleFilled, CloseOutlined, HomeOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Input, Spin } from 'antd';
import { Fragment, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, type ReportInput } from '../../api.ts';
import { usePreferences } from '../../preferences.tsx';
import { useSession } from '../../session.tsx';
import type { RegionSummary, SimilarCase } from '../../types.ts';
import { isElder, ResidentScreen } from './ResidentRoot.tsx';
import { distanceLabel, residentStatus, shortDateTime } from './residentLabels.ts';

/** Photos a resident attaches to one report. */
export const RESIDENT_PHOTO_MAX = 3;

/** How long the "is this your problem?" check may take before the report goes in without it. */
const SIMILAR_WAIT_MS = 5_000;

type Step = '1' | '2' | '3' | 'similar';
const STEPS: readonly Step[] = ['1', '2', '3', 'similar'];

interface Photo {
  file: File;
  url: string;
}

interface Position {
  lat: number;
  lng: number;
}

type Locating = 'idle' | 'busy' | 'done' | 'failed';

/** What the done screen shows (passed in the navigation state). */
export interface ReportOutcome {
  kind: 'reported' | 'followed';
  id: string;
  number: string;
  photoError?: string;
}

/** The text after it has not changed for `delay` ms. */
function useDebounced(value: string, delay: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

function readStep(value: string | null): Step {
  return (STEPS as readonly (string | null)[]).includes(value) ? (value as Step) : '1';
}

/**
 * 我要反映 in at most three steps — photo, place, words — plus "is this your problem?" when the
 * server knows similar open cases nearby. The step lives in the URL (?step=2), so the phone's back
 * button walks back through the steps; what was entered stays while the flow is open.
 */
export function ReportFlow() {
  const me = useSession();
  const preferences = usePreferences();
  const { locale, t } = preferences;
  const elder = isElder(preferences);
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const step = readStep(params.get('step'));
  const queryClient = useQueryClient();

  const [photos, setPhotos] = useState<Photo[]>([]);
  const [position, setPosition] = useState<Position | null>(null);
  const [locating, setLocating] = useState<Locating>('idle');
  const [choosing, setChoosing] = useState(false);
  const [place, setPlace] = useState<RegionSummary | null>(null);
  const [address, setAddress] = useState('');
  const [description, setDescription] = useState('');
  const [missingWords, setMissingWords] = useState(false);
  const [picked, setPicked] = useState<string | undefined>();
  const [showOthers, setShowOthers] = useState(false);
  const [similar, setSimilar] = useState<SimilarCase[]>([]);

  // Object URLs for the previews are released when the flow closes.
  const photosRef = useRef(photos);
  photosRef.current = photos;
  useEffect(() => () => photosRef.current.forEach((p) => URL.revokeObjectURL(p.url)), []);

  const text = useDebounced(description.trim(), 400);
  const suggestions = useQuery({ queryKey: ['classify', text], queryFn: () => api.classify(text), enabled: text.length >= 2, staleTime: 60_000 });
  const categories = useQuery({ queryKey: ['categories', 'resident'], queryFn: () => api.categories({ selectable: true }), enabled: locale === 'en', staleTime: 10 * 60_000 });
  const englishName = new Map((categories.data?.items ?? []).map((c) => [c.code, c.nameEn]));
  const top = (suggestions.data?.suggestions ?? []).slice(0, 3).map((s) => ({ code: s.categoryCode, name: (locale === 'en' ? englishName.get(s.categoryCode) : undefined) ?? s.name }));
  const chosen = top.find((s) => s.code === picked) ?? top[0];

  const committee = { code: me.assignment.regionCode, name: me.assignment.regionName };

  const goTo = (next: Step) => void navigate({ search: `?step=${next}` }, { state: { pushed: true } });
  const back = () => {
    const pushed = typeof location.state === 'object' && location.state !== null && 'pushed' in location.state;
    if (pushed) void navigate(-1);
    else if (step === '1') void navigate('/m');
    else void navigate({ search: `?step=${step === 'similar' ? '3' : String(Number(step) - 1)}` }, { replace: true });
  };

  const input = (): ReportInput => ({
    description: description.trim(),
    categoryCode: chosen?.code,
    regionCode: place?.code ?? committee.code,
    ...(position ? { lat: position.lat, lng: position.lng, coordSystem: 'wgs84' as const } : {}),
    address: address.trim() || undefined,
    // staff on their rounds (网格员, 居委) use the same three steps: their reports are patrol findings
    ...(me.assignment.role === 'resident' ? {} : { channel: 'patrol' as const }),
  });

  const report = useMutation({
    mutationFn: async (): Promise<ReportOutcome> => {
      const created = await api.reportCase(input());
      let photoError: string | undefined;
      if (photos.length > 0) {
        try {
          await api.uploadCasePhotos(created.id, 'report', photos.map((p) => p.file));
        } catch (error) {
          // The report stands; the resident is told the photos did not make it.
          photoError = error instanceof Error ? error.message : String(error);
        }
      }
      return { kind: 'reported', id: created.id, number: created.number, ...(photoError ? { photoError } : {}) };
    },
    onSuccess: async (outcome) => {
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      void navigate('/m/report/done', { replace: true, state: outcome });
    },
    onError: (error) => {
      // A position outside Pudong (or a wrong fix): forget it, so sending again uses the committee or building.
      if (error instanceof ApiError && error.code === 'LOCATION_OUTSIDE_DISTRICT') {
        setPosition(null);
        setLocating('idle');
      }
    },
  });

  // "Is this your problem?": only when the server knows similar open cases. Until the endpoint
  // exists (404 ROUTE_NOT_FOUND), or when it fails, the step is skipped and the report goes in.
  const check = useMutation({
    mutationFn: async (): Promise<SimilarCase[]> => {
      const q = input();
      try {
        const asked = api.similarCases({ description: q.description, categoryCode: q.categoryCode, regionCode: q.regionCode, lat: position?.lat, lng: position?.lng });
        // A slow answer must not hold the report up.
        const gaveUp = new Promise<null>((resolve) => setTimeout(() => resolve(null), SIMILAR_WAIT_MS));
        return (await Promise.race([asked, gaveUp]))?.items ?? [];
      } catch {
        return [];
      }
    },
    onSuccess: (items) => {
      if (items.length > 0) {
        setSimilar(items);
        goTo('similar');
      } else report.mutate();
    },
  });

  const follow = useMutation({
    mutationFn: async (kase: SimilarCase): Promise<ReportOutcome> => {
      await api.followCase(kase.id);
      return { kind: 'followed', id: kase.id, number: kase.number };
    },
    onSuccess: async (outcome) => {
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      void navigate('/m/report/done', { replace: true, state: outcome });
    },
  });

  const submit = () => {
    if (!description.trim()) {
      setMissingWords(true);
      return;
    }
    check.mutate();
  };

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setLocating('failed');
      setChoosing(true);
      return;
    }
    setLocating('busy');
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setPosition({ lat: Number(p.coords.latitude.toFixed(6)), lng: Number(p.coords.longitude.toFixed(6)) });
        setLocating('done');
      },
      () => {
        setLocating('failed');
        setChoosing(true);
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const addPhotos = (files: FileList | null) => {
    if (!files) return;
    const room = RESIDENT_PHOTO_MAX - photos.length;
    const added = Array.from(files)
      .slice(0, Math.max(0, room))
      .map((file) => ({ file, url: URL.createObjectURL(file) }));
    setPhotos((current) => [...current, ...added]);
  };
  const removePhoto = (index: number) => {
    setPhotos((current) => {
      const gone = current[index];
      if (gone) URL.revokeObjectURL(gone.url);
      return current.filter((_, i) => i !== index);
    });
  };

  const busy = report.isPending || check.isPending || follow.isPending;
  const stepNumber = step === 'similar' ? 3 : Number(step);
  const progress = (
    <div className="gz-m-progress" aria-label={t('resident.report.step', { step: stepNumber })}>
      <span className="gz-m-progress-text" data-testid="m-step">
        {t('resident.report.step', { step: stepNumber })}
      </span>
      <span className="gz-m-progress-dots" aria-hidden>
        {[1, 2, 3].map((n) => (
          <span key={n} className={n <= stepNumber ? 'gz-m-dot gz-m-dot-on' : 'gz-m-dot'} />
        ))}
      </span>
    </div>
  );

  if (step === '1') {
    return (
      <ResidentScreen
        title={t('resident.report.photoTitle')}
        back={back}
        testId="m-step-photo"
        footer={
          <Button type="primary" block size="large" onClick={() => goTo('2')} data-testid="m-next">
            {photos.length > 0 ? t('resident.report.next') : t('resident.report.skipPhoto')}
          </Button>
        }
      >
        {progress}
        <p className="gz-m-lead">{t('resident.report.photoHint')}</p>
        {photos.length > 0 && (
          <ul className="gz-m-photos" aria-label={t('resident.report.photoCount', { n: photos.length })}>
            {photos.map((p, index) => (
              <li key={p.url} className="gz-m-photo">
                <img src={p.url} alt={`${index + 1}`} />
                <button type="button" className="gz-m-photo-remove" aria-label={t('resident.report.photoRemove', { n: index + 1 })} onClick={() => removePhoto(index)}>
                  <CloseOutlined aria-hidden />
                </button>
              </li>
            ))}
          </ul>
        )}
        {photos.length < RESIDENT_PHOTO_MAX && (
          <label className={photos.length === 0 ? 'gz-m-camera' : 'gz-m-camera gz-m-camera-small'}>
            <input
              type="file"
              accept="image/*"
              capture="environment"
              multiple
              className="gz-m-file"
              data-testid="m-photo-input"
              onChange={(e) => {
                addPhotos(e.target.files);
                e.target.value = '';
              }}
            />
            {photos.length === 0 ? <CameraOutlined className="gz-m-camera-icon" aria-hidden /> : <PlusOutlined aria-hidden />}
            <span>{photos.length === 0 ? t('resident.report.photoTake') : t('resident.report.photoMore')}</span>
          </label>
        )}
      </ResidentScreen>
    );
  }

  if (step === '2') {
    return (
      <ResidentScreen
        title={t('resident.report.placeTitle')}
        back={back}
        testId="m-step-place"
        footer={
          <Button type="primary" block size="large" onClick={() => goTo('3')} data-testid="m-next">
            {t('resident.report.next')}
          </Button>
        }
      >
        {progress}
        <p className="gz-m-lead">{t('resident.report.committee', { name: committee.name })}</p>
        <div className="gz-m-choices">
          <Button block size="large" className={locating === 'done' ? 'gz-m-choice gz-m-choice-on' : 'gz-m-choice'} icon={<AimOutlined aria-hidden />} loading={locating === 'busy'} onClick={locate} data-testid="m-locate">
            {locating === 'busy' ? t('resident.report.locating') : t('resident.report.useLocation')}
          </Button>
          {locating === 'done' && (
            <p className="gz-m-ok" role="status" data-testid="m-located">
              <CheckCircleFilled aria-hidden /> {t('resident.report.located')}
            </p>
          )}
          {locating === 'failed' && <Alert type="warning" showIcon title={t('resident.report.locationFailed')} />}
          <Button block size="large" className={choosing ? 'gz-m-choice gz-m-choice-on' : 'gz-m-choice'} icon={<HomeOutlined aria-hidden />} onClick={() => setChoosing(true)} aria-expanded={choosing} data-testid="m-choose-building">
            {t('resident.report.chooseBuilding')}
          </Button>
        </div>
        {choosing && <BuildingPicker committee={committee} value={place} onChange={setPlace} />}
        {!elder && (
          <label className="gz-m-field">
            <span className="gz-m-label">{t('resident.report.address')}</span>
            <Input value={address} maxLength={200} placeholder={t('resident.report.addressPlaceholder')} onChange={(e) => setAddress(e.target.value)} data-testid="m-address" />
          </label>
        )}
      </ResidentScreen>
    );
  }

  if (step === 'similar' && similar.length > 0) {
    return (
      <ResidentScreen
        title={t('resident.report.title')}
        back={back}
        testId="m-step-similar"
        footer={
          <Button type="primary" block size="large" loading={report.isPending} disabled={busy && !report.isPending} onClick={() => report.mutate()} data-testid="m-similar-no">
            {t('resident.report.similarNo')}
          </Button>
        }
      >
        <p className="gz-m-lead gz-m-strong">{t('resident.report.similarTitle')}</p>
        <ul className="gz-m-list">
          {similar.map((s) => (
            <li key={s.id} className="gz-m-card" data-testid="m-similar-item">
              <p className="gz-m-card-text">{s.description}</p>
              <p className="gz-m-muted">
                {[s.categoryName, residentStatus({ status: s.status, allowedActions: [] }, locale).text, s.distanceMeters !== null ? distanceLabel(s.distanceMeters, locale) : null, t('resident.report.followers', { n: s.followers }), shortDateTime(s.createdAt, locale)]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              <Button block size="large" loading={follow.isPending && follow.variables.id === s.id} disabled={busy} onClick={() => follow.mutate(s)} data-testid="m-similar-follow">
                {t('resident.report.similarFollow')}
              </Button>
            </li>
          ))}
        </ul>
        {(follow.isError || report.isError) && <Alert type="error" showIcon role="alert" title={(follow.error ?? report.error)?.message} />}
      </ResidentScreen>
    );
  }

  // Step 3 (and "similar" after a reload, when the list is gone).
  return (
    <ResidentScreen
      title={t('resident.report.wordsTitle')}
      back={back}
      testId="m-step-words"
      footer={
        <Button type="primary" block size="large" loading={busy} onClick={submit} data-testid="m-submit">
          {t('resident.report.submit')}
        </Button>
      }
    >
      {progress}
      <label className="gz-m-field">
        <span className="gz-m-sr-only">{t('resident.report.wordsTitle')}</span>
        <Input.TextArea
          value={description}
          onChange={(e) => {
            setDescription(e.target.value);
            if (e.target.value.trim()) setMissingWords(false);
          }}
          autoSize={{ minRows: 4, maxRows: 10 }}
          maxLength={2000}
          placeholder={t('resident.report.wordsPlaceholder')}
          status={missingWords ? 'error' : undefined}
          aria-invalid={missingWords}
          data-testid="m-description"
        />
      </label>
      {missingWords && (
        <p className="gz-m-error" role="alert">
          {t('resident.report.wordsRequired')}
        </p>
      )}
      <p className="gz-m-muted gz-m-voice">
        <AudioOutlined aria-hidden /> {t('resident.report.voiceHint')}
      </p>
      {text.length >= 2 && (
        <div className="gz-m-understood" aria-live="polite">
          {suggestions.isFetching && !chosen ? (
            <span className="gz-m-muted">
              <Spin size="small" /> {t('resident.report.thinking')}
            </span>
          ) : chosen ? (
            <>
              <p className="gz-m-strong" data-testid="m-understood">
                {t('resident.report.understood', { name: chosen.name })}
              </p>
              {top.length > 1 && !showOthers && (
                <Button type="link" className="gz-m-link" onClick={() => setShowOthers(true)} data-testid="m-change-category">
                  {t('resident.report.changeCategory')}
                </Button>
              )}
              {showOthers && (
                <div role="radiogroup" aria-label={t('resident.report.pickCategory')} className="gz-m-options">
                  <p className="gz-m-muted">{t('resident.report.pickCategory')}</p>
                  {top.map((s) => (
                    <button
                      key={s.code}
                      type="button"
                      role="radio"
                      aria-checked={s.code === chosen.code}
                      className={s.code === chosen.code ? 'gz-m-option gz-m-option-on' : 'gz-m-option'}
                      onClick={() => {
                        setPicked(s.code);
                        setShowOthers(false);
                      }}
                      data-testid="m-category-option"
                    >
                      {s.name}
                    </button>
                  ))}
                </div>
              )}
            </>
          ) : null}
        </div>
      )}
      {report.isError && <Alert type="error" showIcon role="alert" title={reportErrorText(report.error)} data-testid="m-report-error" />}
    </ResidentScreen>
  );
}

function reportErrorText(error: Error): string {
  return error instanceof ApiError ? error.message : String(error.message);
}

/** 不会用地图？选楼栋: the committee's grids and buildings as big buttons; a grid opens its buildings. */
function BuildingPicker({ committee, value, onChange }: { committee: { code: string; name: string }; value: RegionSummary | null; onChange: (region: RegionSummary | null) => void }) {
  const { t } = usePreferences();
  const children = useQuery({ queryKey: ['regions', committee.code, 'children'], queryFn: () => api.regionChildren(committee.code) });
  // A grid chosen (or the grid of a chosen building) shows its buildings right under it.
  const gridCode = value?.level === 'grid' ? value.code : value?.level === 'building' && value.parentCode !== committee.code ? value.parentCode : null;
  const gridChildren = useQuery({ queryKey: ['regions', gridCode, 'children'], queryFn: () => api.regionChildren(gridCode ?? ''), enabled: gridCode !== null });

  const option = (region: RegionSummary) => (
    <button
      key={region.code}
      type="button"
      role="radio"
      aria-checked={value?.code === region.code}
      className={value?.code === region.code ? 'gz-m-option gz-m-option-on' : 'gz-m-option'}
      onClick={() => onChange(region)}
      data-testid="m-building"
    >
      {region.name}
    </button>
  );

  return (
    <section className="gz-m-picker" aria-label={t('resident.report.buildingsTitle')} data-testid="m-building-picker">
      <p className="gz-m-strong">{t('resident.report.buildingsTitle')}</p>
      {children.isPending ? (
        <Spin />
      ) : children.isError ? (
        <Alert type="error" showIcon title={children.error.message} />
      ) : children.data.length === 0 ? (
        <p className="gz-m-muted">{t('resident.report.noBuildings')}</p>
      ) : (
        <div role="radiogroup" aria-label={t('resident.report.buildingsTitle')} className="gz-m-options">
          {children.data.map((region) => (
            <Fragment key={region.code}>
              {option(region)}
              {region.code === gridCode && gridChildren.data && gridChildren.data.length > 0 && <div className="gz-m-suboptions">{gridChildren.data.map(option)}</div>}
            </Fragment>
          ))}
          <button type="button" role="radio" aria-checked={value === null} className={value === null ? 'gz-m-option gz-m-option-on' : 'gz-m-option'} onClick={() => onChange(null)}>
            {t('resident.report.wholeCommittee')}
          </button>
        </div>
      )}
      {value && (
        <p className="gz-m-ok" data-testid="m-place-chosen">
          <CheckCircleFilled aria-hidden /> {t('resident.report.chosen', { name: value.name })}
        </p>
      )}
    </section>
  );
}
