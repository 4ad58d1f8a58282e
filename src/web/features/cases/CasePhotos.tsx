import { CameraOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Form, Image, Select, Spin, Typography, Upload, type UploadFile } from 'antd';
import { useState, type ReactNode } from 'react';
import { PHOTO_CLOSED_STATUSES, PHOTO_STAGE_LABELS, PHOTO_STAGES, REPORT_PHOTO_MAX, type PhotoStage } from '../../../shared/photos.ts';
import { api } from '../../api.ts';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';
import type { CaseDetail, CasePhoto } from '../../types.ts';

/** What the server accepts; it decides the type from the bytes anyway. */
const ACCEPT = 'image/jpeg,image/png,image/webp';

/** The stage a new photo most likely belongs to, from where the case stands. */
function stageFor(status: string): PhotoStage {
  if (status === 'handled') return 'verification';
  if (status === 'dispatched' || status === 'in_progress' || status === 'suspended') return 'handling';
  return 'report';
}

function isOpen(status: string): boolean {
  return !(PHOTO_CLOSED_STATUSES as readonly string[]).includes(status);
}

/**
 * 现场照片 of a case: thumbnails grouped by when they were taken (one preview group, so the
 * viewer pages through all of them), and an upload button while the case is open.
 */
export function CasePhotos({ kase }: { kase: CaseDetail }) {
  const { locale, t } = usePreferences();
  const { message } = App.useApp();
  const can = useCan();
  const queryClient = useQueryClient();
  const [stage, setStage] = useState<PhotoStage>(() => stageFor(kase.status));
  const photos = useQuery({ queryKey: ['case', kase.id, 'photos'], queryFn: () => api.casePhotos(kase.id) });
  const upload = useMutation({
    mutationFn: (files: File[]) => api.uploadCasePhotos(kase.id, stage, files),
    onSuccess: async (result) => {
      void message.success(t('photo.uploaded', { count: result.items.length }));
      // the case's timeline gains an entry too
      await queryClient.invalidateQueries({ queryKey: ['case', kase.id] });
    },
    onError: (error) => void message.error(error.message),
  });
  const canAdd = isOpen(kase.status) && can('case.photo.add');
  const items = photos.data?.items ?? [];

  const controls: ReactNode = canAdd ? (
    <Flex gap="small" wrap align="center">
      <Select<PhotoStage>
        aria-label={t('photo.stage')}
        value={stage}
        onChange={setStage}
        options={PHOTO_STAGES.map((value) => ({ value, label: PHOTO_STAGE_LABELS[value][locale] }))}
        style={{ minWidth: 150 }}
        data-testid="photo-stage"
      />
      <Upload
        accept={ACCEPT}
        multiple
        showUploadList={false}
        // the whole selection goes up in one request: all photos are kept, or none
        beforeUpload={(file, fileList) => {
          if (file.uid === fileList[0]?.uid) upload.mutate(fileList);
          return Upload.LIST_IGNORE;
        }}
      >
        <Button type="primary" icon={<CameraOutlined />} loading={upload.isPending} data-testid="photo-add">
          {t('photo.add')}
        </Button>
      </Upload>
    </Flex>
  ) : null;

  return (
    <Card title={items.length > 0 ? `${t('photo.title')} · ${t('photo.count', { count: items.length })}` : t('photo.title')} extra={controls} data-testid="case-photos">
      {photos.isPending ? (
        <Spin />
      ) : photos.isError ? (
        <ErrorResult error={photos.error} onRetry={() => void photos.refetch()} />
      ) : items.length === 0 ? (
        <Typography.Text type="secondary">{isOpen(kase.status) ? t('photo.none') : t('photo.closed')}</Typography.Text>
      ) : (
        <Image.PreviewGroup>
          <Flex vertical gap="middle">
            {PHOTO_STAGES.map((s) => ({ stage: s, photos: items.filter((p) => p.stage === s) }))
              .filter((group) => group.photos.length > 0)
              .map((group) => (
                <div key={group.stage} data-testid={`photos-${group.stage}`}>
                  <Typography.Title level={5}>{PHOTO_STAGE_LABELS[group.stage][locale]}</Typography.Title>
                  <Flex wrap gap="small">
                    {group.photos.map((p) => (
                      <Thumbnail key={p.id} photo={p} caption={t('photo.uploadedBy', { name: p.uploaderName, time: formatDateTime(p.createdAt, locale) })} />
                    ))}
                  </Flex>
                </div>
              ))}
          </Flex>
        </Image.PreviewGroup>
      )}
      {canAdd && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('photo.hint')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

function Thumbnail({ photo, caption }: { photo: CasePhoto; caption: string }) {
  return (
    <Image
      src={photo.thumbnailUrl}
      preview={{ src: photo.url }}
      alt={caption}
      title={caption}
      width={120}
      height={120}
      style={{ objectFit: 'cover', borderRadius: 6 }}
    />
  );
}

/**
 * The report form's photo picker: up to REPORT_PHOTO_MAX photos are chosen with the report and
 * uploaded (stage `report`) right after the case exists. A failed upload does not undo the
 * report; the reporter is told and can add the photos on the case page.
 */
export function useReportPhotos(): { picker: ReactNode; uploadFor: (caseId: string) => Promise<void> } {
  const { t } = usePreferences();
  const { message } = App.useApp();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const picker = (
    <Form.Item label={t('photo.reportLabel', { max: REPORT_PHOTO_MAX })} extra={t('photo.hint')}>
      <Upload
        accept={ACCEPT}
        multiple
        listType="picture-card"
        fileList={files}
        maxCount={REPORT_PHOTO_MAX}
        beforeUpload={() => false}
        onChange={({ fileList }) => setFiles(fileList.slice(0, REPORT_PHOTO_MAX))}
        data-testid="report-photos"
      >
        {files.length < REPORT_PHOTO_MAX && (
          <div>
            <PlusOutlined />
            <div style={{ marginTop: 8 }}>{t('photo.reportPick')}</div>
          </div>
        )}
      </Upload>
    </Form.Item>
  );
  async function uploadFor(caseId: string): Promise<void> {
    const chosen = files.flatMap((f) => (f.originFileObj ? [f.originFileObj] : []));
    if (chosen.length === 0) return;
    try {
      await api.uploadCasePhotos(caseId, 'report', chosen);
    } catch (error) {
      void message.warning(t('photo.reportFailed', { reason: error instanceof Error ? error.message : String(error) }), 10);
    }
  }
  return { picker, uploadFor };
}
