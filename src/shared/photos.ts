/**
 * Case photos: when a photo was taken, and the image formats the platform keeps. The format is
 * decided from the bytes, never from the file name or the declared content type.
 */
export const PHOTO_STAGES = ['report', 'handling', 'verification'] as const;
export type PhotoStage = (typeof PHOTO_STAGES)[number];

export const PHOTO_STAGE_LABELS: Record<PhotoStage, { 'zh-CN': string; en: string }> = {
  report: { 'zh-CN': '上报时', en: 'When reported' },
  handling: { 'zh-CN': '处置中/处置后', en: 'During or after handling' },
  verification: { 'zh-CN': '核查时', en: 'At verification' },
};

export const PHOTO_FORMATS = ['jpeg', 'png', 'webp'] as const;
export type PhotoFormat = (typeof PHOTO_FORMATS)[number];

export const PHOTO_MIME: Record<PhotoFormat, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
export const PHOTO_EXTENSION: Record<PhotoFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' };

/** The timeline entry of an upload (case_events.action = 'photo'). */
export const PHOTO_TIMELINE_LABEL = { 'zh-CN': '上传照片', en: 'Photos added' } as const;

/** Photos the report form attaches; the server's per-request limit (PHOTO_MAX_FILES_PER_REQUEST) defaults to the same. */
export const REPORT_PHOTO_MAX = 9;

/** Statuses in which a case takes no more photos. */
export const PHOTO_CLOSED_STATUSES = ['closed', 'rejected', 'merged'] as const;

export function isPhotoStage(value: string): value is PhotoStage {
  return (PHOTO_STAGES as readonly string[]).includes(value);
}
