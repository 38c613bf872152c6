/**
 * 用户 (admin): who may sign in, with what role and, for keepers, which depots. Create a user,
 * change name, role, depots or deactivate (the user then signs in again), and set a new
 * password. Users are deactivated, never deleted: the ledger names who did what.
 */
import {
  Alert,
  App,
  Button,
  Checkbox,
  Col,
  Form,
  Input,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMemo, useState } from 'react';
import { ROLES, type Role, type UserDto } from '../../../shared/schemas/user';
import { rpc } from '../../api';
import { EntityDrawer } from '../../components/EntityDrawer';
import { ListScreen } from '../../components/ListScreen';
import { useRpc } from '../../components/useRpc';
import { useSessionState } from '../../components/useSessionState';
import { formatTime } from '../../format';
import { common } from '../../i18n/common';
import { defineMessages, useMessages, useTerms } from '../../i18n/messages';
import { useSession } from '../../session';
import { ActiveTag } from './adminShared';
import { ConfirmPasswordItem } from '../../components/ConfirmPasswordItem';

const messages = defineMessages(
  {
    title: '用户',
    search: '用户名或姓名',
    allRoles: '全部角色',
    includeInactive: '含停用',
    add: '新增用户',
    addTitle: '新增用户',
    editTitle: '编辑用户 {username}',
    resetTitle: '重置 {name} 的密码',
    username: '用户名',
    usernameHint: '登录用，字母、数字、点、横线或下划线',
    displayName: '姓名',
    role: '角色',
    depots: '负责储备库',
    depotsHint: '保管员只能操作这些储备库的库存',
    depotsAll: '全部（非保管员）',
    password: '初始密码',
    newPassword: '新密码',
    confirmPassword: '确认密码',
    passwordHint: '至少 8 位，包含字母和数字',
    active: '启用',
    status: '状态',
    createdAt: '创建时间',
    resetPassword: '重置密码',
    relogin: '修改角色、负责储备库或停用后，该用户需要重新登录。',
    resetNote: '重置后该用户的所有登录会话立即失效。',
    created: '已新增用户 {username}',
    updated: '已保存用户 {username}',
    reset: '已重置 {username} 的密码',
    self: '（本人）',
    filterText: '查询：{text}',
    filterRole: '角色：{role}',
    filterInactive: '含停用',
  },
  {
    title: 'Users',
    search: 'Username or name',
    allRoles: 'All roles',
    includeInactive: 'Include inactive',
    add: 'Add user',
    addTitle: 'Add user',
    editTitle: 'Edit user {username}',
    resetTitle: 'Reset the password of {name}',
    username: 'Username',
    usernameHint: 'For signing in: letters, digits, dot, dash or underscore',
    displayName: 'Name',
    role: 'Role',
    depots: 'Depots',
    depotsHint: 'A keeper may move stock only in these depots',
    depotsAll: 'All (not a keeper)',
    password: 'Initial password',
    newPassword: 'New password',
    confirmPassword: 'Confirm password',
    passwordHint: 'At least 8 characters with letters and digits',
    active: 'Active',
    status: 'Status',
    createdAt: 'Created',
    resetPassword: 'Reset password',
    relogin: 'After a change of role or depots, or deactivation, the user must sign in again.',
    resetNote: 'All of the user’s sessions end at once.',
    created: 'User {username} added',
    updated: 'User {username} saved',
    reset: 'Password of {username} reset',
    self: ' (you)',
    filterText: 'Search: {text}',
    filterRole: 'Role: {role}',
    filterInactive: 'Including inactive',
  },
);

const ROLE_COLOURS: Record<Role, string> = {
  admin: 'purple',
  coordinator: 'blue',
  keeper: 'cyan',
  staff: 'default',
};

interface Filters {
  text: string;
  role: Role | null;
  includeInactive: boolean;
}

export default function UsersPage() {
  const t = useMessages(messages);
  const c = useMessages(common);
  const terms = useTerms();
  const { message } = App.useApp();
  const { depots, user: me } = useSession();
  const [filters, setFilters] = useSessionState<Filters>('admin.users', {
    text: '',
    role: null,
    includeInactive: true,
  });
  const list = useRpc('user.list', {});
  const users = useMemo(() => list.data ?? [], [list.data]);
  const [editing, setEditing] = useState<UserDto | 'new' | null>(null);
  const [resetting, setResetting] = useState<UserDto | null>(null);

  const depotName = useMemo(() => new Map(depots.map((d) => [d.depotId, d.name])), [depots]);
  const shown = useMemo(() => {
    const text = filters.text.trim().toLowerCase();
    return users.filter(
      (u) =>
        (filters.includeInactive || u.active) &&
        (filters.role === null || u.role === filters.role) &&
        (!text || u.username.toLowerCase().includes(text) || u.displayName.toLowerCase().includes(text)),
    );
  }, [users, filters]);

  const columns: TableColumnsType<UserDto> = [
    { title: t('username'), dataIndex: 'username', width: 140 },
    {
      title: t('displayName'),
      dataIndex: 'displayName',
      width: 160,
      ellipsis: true,
      render: (v: string, u) => (u.userId === me?.userId ? `${v}${t('self')}` : v),
    },
    {
      title: t('role'),
      dataIndex: 'role',
      width: 90,
      render: (v: Role) => <Tag color={ROLE_COLOURS[v]}>{terms(`role.${v}`)}</Tag>,
    },
    {
      title: t('depots'),
      dataIndex: 'depotIds',
      ellipsis: true,
      render: (ids: number[], u) =>
        u.role === 'keeper' ? (
          ids.map((id) => depotName.get(id) ?? `#${id}`).join('、')
        ) : (
          <Typography.Text type="secondary">{t('depotsAll')}</Typography.Text>
        ),
    },
    { title: t('status'), dataIndex: 'active', width: 64, render: (v: boolean) => <ActiveTag active={v} /> },
    { title: t('createdAt'), dataIndex: 'createdAt', width: 140, render: (v: string) => formatTime(v) },
    {
      title: c('actions'),
      key: 'actions',
      width: 130,
      fixed: 'right',
      render: (_, u) => (
        <Space size="small" onClick={(e) => e.stopPropagation()}>
          <a onClick={() => setEditing(u)}>{c('edit')}</a>
          <a onClick={() => setResetting(u)}>{t('resetPassword')}</a>
        </Space>
      ),
    },
  ];

  const activeFilters = [
    filters.text.trim() ? t('filterText', { text: filters.text.trim() }) : null,
    filters.role ? t('filterRole', { role: terms(`role.${filters.role}`) }) : null,
    filters.includeInactive ? t('filterInactive') : null,
  ].filter((f): f is string => f !== null);

  return (
    <>
      {editing && (
        <UserDrawer
          user={editing === 'new' ? null : editing}
          isSelf={editing !== 'new' && editing.userId === me?.userId}
          onClose={() => setEditing(null)}
          onSaved={(u, created) => {
            setEditing(null);
            void message.success(t(created ? 'created' : 'updated', { username: u.username }));
            void list.reload();
          }}
        />
      )}
      {resetting && (
        <ResetPasswordDrawer
          user={resetting}
          onClose={() => setResetting(null)}
          onDone={() => {
            void message.success(t('reset', { username: resetting.username }));
            setResetting(null);
          }}
        />
      )}
      <ListScreen
        title={t('title')}
        error={list.error}
        onRetry={() => void list.reload()}
        rows={shown.length}
        activeFilters={activeFilters}
        actions={
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('add')}
          </Button>
        }
        filters={
          <>
            <Input
              allowClear
              placeholder={t('search')}
              aria-label={t('search')}
              style={{ width: 200 }}
              value={filters.text}
              onChange={(e) => setFilters((f) => ({ ...f, text: e.target.value }))}
            />
            <Select<Role>
              allowClear
              placeholder={t('allRoles')}
              aria-label={t('role')}
              style={{ width: 130 }}
              value={filters.role ?? undefined}
              onChange={(v) => setFilters((f) => ({ ...f, role: v ?? null }))}
              options={ROLES.map((r) => ({ value: r, label: terms(`role.${r}`) }))}
            />
            <Checkbox
              checked={filters.includeInactive}
              onChange={(e) => setFilters((f) => ({ ...f, includeInactive: e.target.checked }))}
            >
              {t('includeInactive')}
            </Checkbox>
          </>
        }
      >
        {(height) => (
          <Table<UserDto>
            size="small"
            rowKey="userId"
            sticky
            loading={list.loading}
            columns={columns}
            dataSource={shown}
            pagination={false}
            scroll={{ x: 1000, y: height }}
            onRow={(u) => ({
              onClick: () => setEditing(u),
              style: { cursor: 'pointer', color: u.active ? undefined : '#999' },
            })}
            data-testid="users-table"
          />
        )}
      </ListScreen>
    </>
  );
}

interface UserValues {
  username: string;
  displayName: string;
  role: Role | null;
  depotIds: number[];
  password: string;
  confirm: string;
  active: boolean;
}

function UserDrawer({
  user,
  isSelf,
  onClose,
  onSaved,
}: {
  user: UserDto | null;
  isSelf: boolean;
  onClose: () => void;
  onSaved: (u: UserDto, created: boolean) => void;
}) {
  const t = useMessages(messages);
  const c = useMessages(common);
  const terms = useTerms();
  const { depots } = useSession();
  const [form] = Form.useForm<UserValues>();
  const role = Form.useWatch('role', form) ?? user?.role ?? null;

  const depotOptions = depots
    .filter((d) => d.active || user?.depotIds.includes(d.depotId))
    .map((d) => ({
      value: d.depotId,
      label: d.name,
      search: `${d.code} ${d.name}`,
      levelName: terms(`level.${d.level}`),
    }));

  const save = (v: UserValues, idempotencyKey: string) => {
    if (user) {
      // Only what changed: a new role or depot list ends the user's sessions.
      const sameDepots = [...v.depotIds].sort().join() === [...user.depotIds].sort().join();
      return rpc(
        'user.update',
        {
          userId: user.userId,
          displayName: v.displayName.trim() !== user.displayName ? v.displayName.trim() : undefined,
          role: v.role !== user.role ? v.role! : undefined,
          depotIds: v.role === 'keeper' && (!sameDepots || v.role !== user.role) ? v.depotIds : undefined,
          active: v.active !== user.active ? v.active : undefined,
        },
        { idempotencyKey },
      );
    }
    return rpc(
      'user.create',
      {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        role: v.role!,
        password: v.password,
        depotIds: v.role === 'keeper' ? v.depotIds : [],
      },
      { idempotencyKey },
    );
  };

  const required = { required: true, whitespace: true, message: c('required') };
  return (
    <EntityDrawer<UserValues, UserDto>
      title={user ? t('editTitle', { username: user.username }) : t('addTitle')}
      form={form}
      testId="user-form"
      initialValues={{
        username: user?.username ?? '',
        displayName: user?.displayName ?? '',
        role: user?.role ?? null,
        depotIds: user?.depotIds ?? [],
        password: '',
        confirm: '',
        active: user?.active ?? true,
      }}
      save={save}
      onSaved={(saved) => onSaved(saved, user === null)}
      onClose={onClose}
    >
      {user && <Alert type="info" showIcon title={t('relogin')} style={{ marginBottom: 12 }} />}
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            name="username"
            label={t('username')}
            extra={user ? undefined : t('usernameHint')}
            rules={[required]}
          >
            <Input maxLength={40} autoFocus={!user} disabled={!!user} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="displayName" label={t('displayName')} rules={[required]}>
            <Input maxLength={50} autoFocus={!!user} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="role" label={t('role')} rules={[{ required: true, message: c('required') }]}>
        <Select<Role>
          options={ROLES.map((r) => ({ value: r, label: terms(`role.${r}`) }))}
          disabled={isSelf}
        />
      </Form.Item>
      {role === 'keeper' && (
        <Form.Item
          name="depotIds"
          label={t('depots')}
          extra={t('depotsHint')}
          rules={[{ required: true, type: 'array', min: 1, message: terms('validation.keeperNeedsDepot') }]}
        >
          <Select<number[]>
            mode="multiple"
            options={depotOptions}
            showSearch={{
              filterOption: (input, o) => (o?.search ?? '').toLowerCase().includes(input.toLowerCase()),
            }}
            optionRender={(o) => (
              <span>
                {o.data.label} <span style={{ color: '#999', fontSize: 12 }}>{o.data.levelName}</span>
              </span>
            )}
          />
        </Form.Item>
      )}
      {!user && (
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="password"
              label={t('password')}
              extra={t('passwordHint')}
              rules={[{ required: true, message: c('required') }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <ConfirmPasswordItem of="password" label={t('confirmPassword')} />
          </Col>
        </Row>
      )}
      {user && (
        <Form.Item name="active" label={t('active')} valuePropName="checked">
          <Switch disabled={isSelf} />
        </Form.Item>
      )}
    </EntityDrawer>
  );
}

function ResetPasswordDrawer({
  user,
  onClose,
  onDone,
}: {
  user: UserDto;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useMessages(messages);
  const c = useMessages(common);
  const [form] = Form.useForm<{ newPassword: string; confirm: string }>();
  return (
    <EntityDrawer<{ newPassword: string; confirm: string }, unknown>
      title={t('resetTitle', { name: user.displayName })}
      form={form}
      size={420}
      submitLabel={t('resetPassword')}
      initialValues={{ newPassword: '', confirm: '' }}
      save={(v, idempotencyKey) =>
        rpc('user.resetPassword', { userId: user.userId, newPassword: v.newPassword }, { idempotencyKey })
      }
      onSaved={onDone}
      onClose={onClose}
    >
      <Alert type="warning" showIcon title={t('resetNote')} style={{ marginBottom: 12 }} />
      <Form.Item
        name="newPassword"
        label={t('newPassword')}
        extra={t('passwordHint')}
        rules={[{ required: true, message: c('required') }]}
      >
        <Input.Password autoFocus autoComplete="new-password" />
      </Form.Item>
      <ConfirmPasswordItem of="newPassword" label={t('confirmPassword')} />
    </EntityDrawer>
  );
}
