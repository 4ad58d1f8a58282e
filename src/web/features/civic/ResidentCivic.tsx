import { SoundOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { Button, Input, Spin } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { isElder, ResidentScreen } from '../resident/ResidentRoot.tsx';
import { shortDateTime } from '../resident/residentLabels.ts';
import { civicApi, failureOf, type ProposalDetail, type Task } from './civicApi.ts';

/** Loading, error and empty states of a resident screen, the same everywhere. */
function Loaded<T>({ query, empty, children }: { query: { isPending: boolean; isError: boolean; error: unknown; data: T | undefined; refetch: () => unknown }; empty?: (data: T) => string | null; children: (data: T) => ReactNode }) {
  if (query.isPending) {
    return (
      <div className="gz-m-center">
        <Spin size="large" />
      </div>
    );
  }
  if (query.isError || query.data === undefined) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  const message = empty?.(query.data);
  if (message) return <p className="gz-m-lead gz-m-empty">{message}</p>;
  return <>{children(query.data)}</>;
}

/** Reads a text aloud with the browser's speech synthesis, where there is one. */
function ReadAloud({ text }: { text: string }) {
  const { t, locale } = usePreferences();
  if (typeof window === 'undefined' || !('speechSynthesis' in window)) return null;
  const speak = () => {
    window.speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = locale === 'en' ? 'en-GB' : 'zh-CN';
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
  };
  return (
    <Button size="large" icon={<SoundOutlined aria-hidden />} onClick={speak} data-testid="m-read-aloud">
      {t('civic.m.readAloud')}
    </Button>
  );
}

// ---------- 公告 ----------

export function NoticesScreen() {
  const { t, locale } = usePreferences();
  const notices = useQuery({ queryKey: ['civic', 'notices'], queryFn: civicApi.notices });
  return (
    <ResidentScreen title={t('civic.m.notices')} back="/m" testId="m-notices">
      <Loaded query={notices} empty={(d) => (d.items.length === 0 ? t('civic.m.noNotices') : null)}>
        {(data) => (
          <ul className="gz-m-list">
            {[...data.items]
              .sort((a, b) => Number(a.readAt !== null) - Number(b.readAt !== null))
              .map((n) => (
                <li key={n.id}>
                  <Link to={`/m/notices/${n.id}`} className={n.readAt === null ? 'gz-m-card gz-m-card-link gz-m-message gz-m-message-new' : 'gz-m-card gz-m-card-link gz-m-message'} data-testid="m-notice">
                    <span className="gz-m-card-head">{n.readAt === null ? <span className="gz-m-new">{t('resident.messages.new')}</span> : <span />}</span>
                    <span className="gz-m-card-text gz-m-strong">{n.title}</span>
                    <span className="gz-m-muted gz-m-card-meta">
                      {n.publisherName} · {shortDateTime(n.validFrom, locale)}
                    </span>
                  </Link>
                </li>
              ))}
          </ul>
        )}
      </Loaded>
    </ResidentScreen>
  );
}

export function NoticeScreen() {
  const { id = '' } = useParams();
  const { t, locale } = usePreferences();
  const queryClient = useQueryClient();
  const notice = useQuery({ queryKey: ['civic', 'notice', id], queryFn: () => civicApi.notice(id) });
  const read = useMutation({ mutationFn: () => civicApi.readNotice(id), onSuccess: () => queryClient.invalidateQueries({ queryKey: ['civic', 'notices'] }) });
  const unread = notice.data?.readAt === null;
  const { mutate } = read;
  useEffect(() => {
    if (unread) mutate();
  }, [unread, mutate]);
  return (
    <ResidentScreen title={t('civic.m.notice')} back="/m/notices" testId="m-notice-detail">
      <Loaded query={notice}>
        {(n) => (
          <article className="gz-m-section">
            <h2 className="gz-m-h2">{n.title}</h2>
            <p className="gz-m-muted">
              {n.publisherName} · {shortDateTime(n.validFrom, locale)}
              {n.validUntil ? ` — ${shortDateTime(n.validUntil, locale)}` : ''}
            </p>
            <p className="gz-m-lead gz-m-pre" data-testid="m-notice-body">
              {n.body}
            </p>
            {n.link && (
              <p>
                <a href={n.link} target="_blank" rel="noreferrer noopener">
                  {t('civic.m.attachment')}
                </a>
              </p>
            )}
            <ReadAloud text={n.plainText} />
          </article>
        )}
      </Loaded>
    </ResidentScreen>
  );
}

// ---------- 议事 ----------

export function ProposalsScreen() {
  const { t } = usePreferences();
  const proposals = useQuery({ queryKey: ['civic', 'proposals'], queryFn: civicApi.proposals });
  return (
    <ResidentScreen
      title={t('civic.m.proposals')}
      back="/m"
      testId="m-proposals"
      footer={
        <Link to="/m/proposals/new">
          <Button type="primary" block size="large" data-testid="m-propose">
            {t('civic.m.propose')}
          </Button>
        </Link>
      }
    >
      <Loaded query={proposals} empty={(d) => (d.items.length === 0 ? t('civic.m.noProposals') : null)}>
        {(data) => (
          <ul className="gz-m-list">
            {data.items.map((p) => (
              <li key={p.id}>
                <Link to={`/m/proposals/${p.id}`} className={p.mayVote ? 'gz-m-card gz-m-card-link gz-m-message gz-m-message-new' : 'gz-m-card gz-m-card-link gz-m-message'} data-testid="m-proposal">
                  <span className="gz-m-card-head">
                    <span className={p.mayVote ? 'gz-m-new' : 'gz-m-muted'}>{p.mayVote ? t('civic.m.pleaseVote') : p.statusLabel}</span>
                  </span>
                  <span className="gz-m-card-text gz-m-strong">{p.title}</span>
                  <span className="gz-m-muted gz-m-card-meta">
                    {p.scopeName} · {t('civic.m.supports', { n: p.supportCount, of: p.supportThreshold })}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Loaded>
    </ResidentScreen>
  );
}

function Result({ p }: { p: ProposalDetail }) {
  const { t } = usePreferences();
  if (!p.result) return null;
  const label = (value: string) => p.voteOptions?.find((o) => o.value === value)?.label ?? value;
  return (
    <section className="gz-m-section" data-testid="m-result">
      <h3 className="gz-m-h2">{t('civic.m.result')}</h3>
      <p className="gz-m-lead">{p.status === 'rejected' ? t('civic.m.notAccepted') : t('civic.m.accepted', { winner: p.result.winner ? label(p.result.winner) : '' })}</p>
      <ul className="gz-m-list">
        {Object.entries(p.result.counts).map(([choice, n]) => (
          <li key={choice} className="gz-m-lead">
            {label(choice)}：{n}
          </li>
        ))}
      </ul>
      <p className="gz-m-muted">{t('civic.m.turnout', { total: p.result.total, eligible: p.result.eligible })}</p>
    </section>
  );
}

function Accountability({ p }: { p: ProposalDetail }) {
  const { t, locale } = usePreferences();
  if (!p.responsible && p.progress.length === 0) return null;
  return (
    <section className="gz-m-section" data-testid="m-accountability">
      <h3 className="gz-m-h2">{t('civic.m.accountability')}</h3>
      {p.responsible && <p className="gz-m-lead">{t('civic.m.responsible', { who: p.responsible })}</p>}
      <ul className="gz-m-list">
        {p.milestones.map((m) => (
          <li key={m.id} className="gz-m-lead">
            {m.doneAt ? '✓ ' : '○ '}
            {m.title}
            {m.dueDate ? `（${m.dueDate}）` : ''}
          </li>
        ))}
      </ul>
      {p.progress.map((u) => (
        <p key={u.id}>
          <span className="gz-m-muted">{shortDateTime(u.createdAt, locale)}</span> {u.note}
        </p>
      ))}
    </section>
  );
}

export function ProposalScreen() {
  const { id = '' } = useParams();
  const preferences = usePreferences();
  const { t, locale } = preferences;
  const elder = isElder(preferences);
  const queryClient = useQueryClient();
  const proposal = useQuery({ queryKey: ['civic', 'proposal', id], queryFn: () => civicApi.proposal(id) });
  const [text, setText] = useState('');
  const done = (data: ProposalDetail) => {
    queryClient.setQueryData(['civic', 'proposal', id], data);
    void queryClient.invalidateQueries({ queryKey: ['civic', 'proposals'] });
  };
  const support = useMutation({ mutationFn: () => civicApi.support(id), onSuccess: done });
  const vote = useMutation({ mutationFn: (choice: string) => civicApi.vote(id, choice), onSuccess: done });
  const comment = useMutation({
    mutationFn: () => civicApi.comment(id, text),
    onSuccess: (data) => {
      setText('');
      done(data);
    },
  });
  const failure = failureOf(support.error ?? vote.error ?? comment.error);

  return (
    <ResidentScreen title={t('civic.m.proposal')} back="/m/proposals" testId="m-proposal-detail">
      <Loaded query={proposal}>
        {(p) => (
          <>
            <article className="gz-m-section">
              <h2 className="gz-m-h2">{p.title}</h2>
              <p className="gz-m-muted">
                {p.proposerName} · {p.scopeName} · <span data-testid="m-proposal-status">{p.statusLabel}</span>
              </p>
              <p className="gz-m-lead gz-m-pre">{p.description}</p>
              <ReadAloud text={`${p.title}。${p.description}`} />
            </article>
            {(p.status === 'discussion' || p.status === 'threshold_met') && (
              <section className="gz-m-section">
                <p className="gz-m-lead" data-testid="m-support-count">
                  {t('civic.m.supports', { n: p.supportCount, of: p.supportThreshold })}
                </p>
                {p.supportedByMe ? (
                  <p className="gz-m-ok">{t('civic.m.supported')}</p>
                ) : (
                  <Button type="primary" block size="large" loading={support.isPending} onClick={() => support.mutate()} data-testid="m-support">
                    {t('civic.m.support')}
                  </Button>
                )}
              </section>
            )}
            {p.status === 'voting' && (
              <section className="gz-m-section">
                <p className="gz-m-question">{t('civic.m.voteUntil', { at: p.voteClosesAt ? shortDateTime(p.voteClosesAt, locale) : '' })}</p>
                {p.myVote ? (
                  <p className="gz-m-ok" data-testid="m-voted">
                    {t('civic.m.voted', { choice: p.voteOptions?.find((o) => o.value === p.myVote)?.label ?? p.myVote })}
                  </p>
                ) : p.mayVote ? (
                  <div className="gz-m-tiles">
                    {(p.voteOptions ?? []).map((o) => (
                      <Button key={o.value} block size="large" type={o.value === 'yes' ? 'primary' : 'default'} loading={vote.isPending && vote.variables === o.value} onClick={() => vote.mutate(o.value)} data-testid={`m-vote-${o.value}`}>
                        {o.label}
                      </Button>
                    ))}
                  </div>
                ) : (
                  <p className="gz-m-note">{t('civic.m.notYourVote')}</p>
                )}
              </section>
            )}
            <Result p={p} />
            <Accountability p={p} />
            {failure && (
              <p className="gz-m-error" role="alert">
                {failure}
              </p>
            )}
            <section className="gz-m-section">
              <h3 className="gz-m-h2">{t('civic.m.discussion', { n: p.comments.length })}</h3>
              {p.comments.map((c) => (
                <p key={c.id}>
                  <strong>{c.authorName}</strong>：{c.body}
                </p>
              ))}
              {!elder && p.status !== 'done' && p.status !== 'rejected' && (
                <>
                  <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} maxLength={1000} rows={3} placeholder={t('civic.m.commentHint')} aria-label={t('civic.m.commentHint')} />
                  <Button block size="large" disabled={!text.trim()} loading={comment.isPending} onClick={() => comment.mutate()}>
                    {t('civic.m.sendComment')}
                  </Button>
                </>
              )}
            </section>
          </>
        )}
      </Loaded>
    </ResidentScreen>
  );
}

export function ProposeScreen() {
  const { t } = usePreferences();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const propose = useMutation({ mutationFn: () => civicApi.propose({ title: title.trim(), description: description.trim() }), onSuccess: (p) => void navigate(`/m/proposals/${p.id}`, { replace: true }) });
  return (
    <ResidentScreen
      title={t('civic.m.propose')}
      back="/m/proposals"
      testId="m-propose-form"
      footer={
        <Button type="primary" block size="large" disabled={!title.trim() || !description.trim()} loading={propose.isPending} onClick={() => propose.mutate()} data-testid="m-propose-send">
          {t('civic.m.proposeSend')}
        </Button>
      }
    >
      <p className="gz-m-question">{t('civic.m.proposeTitle')}</p>
      <Input size="large" value={title} maxLength={80} onChange={(e) => setTitle(e.target.value)} aria-label={t('civic.m.proposeTitle')} data-testid="m-propose-title" />
      <p className="gz-m-question">{t('civic.m.proposeWhy')}</p>
      <Input.TextArea value={description} maxLength={4000} rows={5} onChange={(e) => setDescription(e.target.value)} aria-label={t('civic.m.proposeWhy')} data-testid="m-propose-text" />
      {propose.error && (
        <p className="gz-m-error" role="alert">
          {failureOf(propose.error)}
        </p>
      )}
    </ResidentScreen>
  );
}

// ---------- 我的积分 ----------

/** One thing to take part in: its name, a line about it, and what the resident can do. */
function OfferCard({ title, meta, children, testId }: { title: string; meta: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <li className="gz-m-card" data-testid={testId}>
      <span className="gz-m-card-text gz-m-strong">{title}</span>
      <span className="gz-m-muted">{meta}</span>
      {children}
    </li>
  );
}

/** The Shanghai calendar day of an instant (the server allows self check-in on the task's days only). */
const shanghaiDay = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A task the resident signed up for: 签到 and 签退 on the task's day; after a self check-out the hours wait for the committee. */
function SignupState({ task, check }: { task: Task; check: UseMutationResult<unknown, Error, { id: string; step: 'check-in' | 'check-out' }> }) {
  const { t } = usePreferences();
  const s = task.mySignup!;
  if (s.hours !== null) return <span className="gz-m-ok">{t('civic.m.hours', { n: s.hours })}</span>;
  if (s.awaitingConfirmation) return <span className="gz-m-ok" data-testid="m-task-awaiting">{t('civic.m.awaiting')}</span>;
  const today = shanghaiDay(new Date());
  const onTheDay = today >= shanghaiDay(new Date(task.startsAt)) && today <= shanghaiDay(new Date(task.endsAt));
  if (!onTheDay) return <span className="gz-m-ok">{`${t('civic.m.signedUp')} · ${t('civic.m.notToday')}`}</span>;
  const step = s.checkedInAt ? 'check-out' : 'check-in';
  return (
    <>
      {s.checkedInAt && <span className="gz-m-ok">{t('civic.m.checkedIn')}</span>}
      <Button type="primary" block size="large" loading={check.isPending && check.variables.id === task.id} onClick={() => check.mutate({ id: task.id, step })} data-testid={`m-task-${step}`}>
        {step === 'check-in' ? t('civic.m.checkIn') : t('civic.m.checkOut')}
      </Button>
    </>
  );
}

export function PointsScreen() {
  const preferences = usePreferences();
  const { t, locale } = preferences;
  const elder = isElder(preferences);
  const queryClient = useQueryClient();
  const points = useQuery({ queryKey: ['civic', 'points'], queryFn: civicApi.points });
  const rewards = useQuery({ queryKey: ['civic', 'rewards'], queryFn: civicApi.rewards });
  const tasks = useQuery({ queryKey: ['civic', 'tasks'], queryFn: civicApi.tasks });
  const volunteer = useQuery({ queryKey: ['civic', 'volunteer'], queryFn: civicApi.myVolunteer });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['civic'] });
  const redeem = useMutation({ mutationFn: civicApi.redeem, onSuccess: refresh });
  const signUp = useMutation({ mutationFn: civicApi.signUp, onSuccess: refresh });
  const selfCheck = useMutation({ mutationFn: ({ id, step }: { id: string; step: 'check-in' | 'check-out' }) => civicApi.selfCheck(id, step), onSuccess: refresh });
  const register = useMutation({ mutationFn: () => civicApi.register({ skills: [], availability: '', partyMember: false }), onSuccess: refresh });
  const failure = failureOf(redeem.error ?? signUp.error ?? register.error ?? selfCheck.error);

  return (
    <ResidentScreen title={t('civic.m.points')} back="/m" testId="m-points">
      <Loaded query={points}>
        {(p) => (
          <>
            <p className="gz-m-hello" data-testid="m-balance">
              {t('civic.m.balance', { n: p.balance })}
            </p>
            {redeem.data && (
              <p className="gz-m-ok" role="status" data-testid="m-redeemed">
                {t('civic.m.redeemed', { code: redeem.data.code })}
              </p>
            )}
            {failure && (
              <p className="gz-m-error" role="alert">
                {failure}
              </p>
            )}
            <section className="gz-m-section">
              <h3 className="gz-m-h2">{t('civic.m.rewards')}</h3>
              <Loaded query={rewards} empty={(d) => (d.items.length === 0 ? t('civic.m.noRewards') : null)}>
                {(data) => (
                  <ul className="gz-m-list">
                    {data.items.map((r) => (
                      <OfferCard key={r.id} title={r.name} meta={t('civic.m.rewardCost', { cost: r.cost, stock: r.stock })}>
                        <Button block size="large" disabled={r.stock === 0 || r.cost > p.balance} loading={redeem.isPending && redeem.variables === r.id} onClick={() => redeem.mutate(r.id)} data-testid="m-redeem">
                          {r.stock === 0 ? t('civic.m.soldOut') : t('civic.m.redeem')}
                        </Button>
                      </OfferCard>
                    ))}
                  </ul>
                )}
              </Loaded>
            </section>
            <section className="gz-m-section">
              <h3 className="gz-m-h2">{t('civic.m.tasks')}</h3>
              {volunteer.data && !volunteer.data.registered && (
                <Button block size="large" loading={register.isPending} onClick={() => register.mutate()} data-testid="m-register-volunteer">
                  {t('civic.m.register')}
                </Button>
              )}
              <Loaded query={tasks} empty={(d) => (d.items.length === 0 ? t('civic.m.noTasks') : null)}>
                {(data) => (
                  <ul className="gz-m-list">
                    {data.items.map((task) => (
                      <OfferCard key={task.id} testId="m-task" title={task.title} meta={`${task.kindLabel} · ${shortDateTime(task.startsAt, locale)} · ${t('civic.m.places', { n: task.signedUp, of: task.capacity })}`}>
                        {task.mySignup ? (
                          <SignupState task={task} check={selfCheck} />
                        ) : (
                          volunteer.data?.registered && (
                            <Button block size="large" disabled={task.signedUp >= task.capacity} loading={signUp.isPending && signUp.variables === task.id} onClick={() => signUp.mutate(task.id)} data-testid="m-task-signup">
                              {t('civic.m.signUp')}
                            </Button>
                          )
                        )}
                      </OfferCard>
                    ))}
                  </ul>
                )}
              </Loaded>
            </section>
            <section className="gz-m-section">
              <h3 className="gz-m-h2">{t('civic.m.history')}</h3>
              <ul className="gz-m-list" data-testid="m-points-entries">
                {(elder ? p.entries.slice(0, 5) : p.entries).map((e) => (
                  <li key={e.id} className="gz-m-lead">
                    {e.amount > 0 ? `+${e.amount}` : e.amount} {e.reasonLabel}
                    {e.note ? `（${e.note}）` : ''} <span className="gz-m-muted">{shortDateTime(e.createdAt, locale)}</span>
                  </li>
                ))}
              </ul>
            </section>
          </>
        )}
      </Loaded>
    </ResidentScreen>
  );
}
