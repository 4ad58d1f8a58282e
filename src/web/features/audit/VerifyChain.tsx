import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Flex } from 'antd';
import { api } from '../../api.ts';
import { usePreferences } from '../../preferences.tsx';

/** 校验哈希链: recomputes the chain on the server and reports the first broken entry, if any. */
export function VerifyChain() {
  const { t } = usePreferences();
  const verify = useMutation({ mutationFn: api.verifyAudit });
  const result = verify.data;

  return (
    <Flex gap="middle" align="flex-start" wrap className="gz-verify">
      <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="verify-chain">
        {t('audit.verify')}
      </Button>
      {verify.error && <Alert className="gz-verify-result" type="error" showIcon title={verify.error.message} />}
      {result?.ok && <Alert className="gz-verify-result" type="success" showIcon title={t('audit.verify.ok', { checked: result.checked })} data-testid="verify-result" />}
      {result && !result.ok && (
        <Alert
          className="gz-verify-result"
          type="error"
          showIcon
          data-testid="verify-result"
          title={
            result.firstBroken
              ? t('audit.verify.broken', { id: result.firstBroken.id, problem: result.firstBroken.problem })
              : t('audit.verify.checked', { checked: result.checked })
          }
          description={
            result.firstBroken && (
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: 'expected', label: t('audit.verify.expected'), children: <code className="gz-hash">{result.firstBroken.expected}</code> },
                  { key: 'found', label: t('audit.verify.found'), children: <code className="gz-hash">{result.firstBroken.found}</code> },
                  { key: 'checked', label: t('audit.hash'), children: t('audit.verify.checked', { checked: result.checked }) },
                ]}
              />
            )
          }
        />
      )}
    </Flex>
  );
}
