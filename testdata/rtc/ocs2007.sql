-- rtcsim schema: Office Communications Server 2007 / 2007 R2 "rtc" database.
--
-- RECONSTRUCTED, more so than lync2013.sql: Cisco's published log is from Lync 2013 only. The version
-- markers follow SPEC 6's decision table; the other tables and both procedures are
-- assumed to be those of Lync 2013 plus HomedResource and Endpoint (OCS kept registrations in rtc).
-- The contact tables are SPEC 7's, identical in every version. Written from the SPEC, never from the
-- product's version files.
--
-- Format (read by internal/rtcsim): T-SQL CREATE TABLE / CREATE INDEX statements ending with ';',
-- declared in SQL Server types (rtcsim keeps them for INFORMATION_SCHEMA and result metadata), plus
-- structured comments declaring the stored procedures served over RPC:
--   -- PROCEDURE dbo.Name (@_Param TYPE, ...)
--   -- TOUCHES Table(KeyColumn), ...      (tables the procedure deletes from, keyed by its first argument)
-- This is the only copy: rtcsim serves it by its short name through the module root package (testdata.go).
--
-- Version markers probed through sysobjects (SPEC 6: Resource without CertificateStore means OCS 2007 / R2):
--   Resource yes, Endpoint yes, Container yes, HomedResource yes, CertificateStore no, ForestDirectory no.

-- ---------------------------------------------------------------------------------------------------
-- Contact tables (SPEC 7): exactly these columns and types. OwnerId and BuddyId are Resource.ResourceIds;
-- the default group has DisplayName '~'.
CREATE TABLE dbo.Resource (
    ResourceId        INT            NOT NULL PRIMARY KEY,
    UserAtHost        NVARCHAR(454)  NOT NULL UNIQUE
);

CREATE TABLE dbo.ResourceDirectory (
    ResourceId        INT            NOT NULL PRIMARY KEY,
    AdDisplayName     NVARCHAR(256)  NULL
);

CREATE TABLE dbo.ContactGroup (
    OwnerId           INT            NOT NULL,
    GroupNumber       INT            NOT NULL,
    DisplayName       NVARCHAR(256)  NOT NULL,
    ExternalUri       NVARCHAR(2048) NULL,
    PRIMARY KEY (OwnerId, GroupNumber)
);

CREATE TABLE dbo.Contact (
    OwnerId           INT            NOT NULL,
    BuddyId           INT            NOT NULL,
    DisplayName       NVARCHAR(256)  NULL,
    SubscribePresence BIT            NOT NULL DEFAULT 1,
    PRIMARY KEY (OwnerId, BuddyId)
);

CREATE TABLE dbo.ContactGroupAssoc (
    OwnerId           INT            NOT NULL,
    BuddyId           INT            NOT NULL,
    GroupNumber       INT            NOT NULL,
    PRIMARY KEY (OwnerId, BuddyId, GroupNumber)
);

CREATE INDEX IX_Contact_BuddyId ON dbo.Contact (BuddyId);
-- Reconstructed, like the Contact index above: the server finds the contact-list rows naming a user by
-- BuddyId whenever it removes that user from other users' lists (Disable-CsUser and RtcDeleteResource do,
-- research/rtc-evidence.md), and a ContactGroupAssoc row goes with its Contact row (same OwnerId, BuddyId).
CREATE INDEX IX_ContactGroupAssoc_BuddyId ON dbo.ContactGroupAssoc (BuddyId);

-- ---------------------------------------------------------------------------------------------------
-- Version markers (present only for their sysobjects probe; columns reconstructed).
CREATE TABLE dbo.HomedResource (
    ResourceId        INT            NOT NULL PRIMARY KEY,
    HomeServerId      INT            NOT NULL,
    MaxContacts       INT            NOT NULL DEFAULT 200,
    LastUpdated       DATETIME       NULL
);

CREATE TABLE dbo.Endpoint (
    EndpointId        UNIQUEIDENTIFIER NOT NULL PRIMARY KEY,
    OwnerId           INT            NOT NULL,
    ExpiresAt         DATETIME       NOT NULL
);

CREATE INDEX IX_Endpoint_OwnerId ON dbo.Endpoint (OwnerId);

CREATE TABLE dbo.Container (
    OwnerId           INT            NOT NULL,
    ContainerNum      INT            NOT NULL,
    Version           INT            NOT NULL DEFAULT 0,
    PRIMARY KEY (OwnerId, ContainerNum)
);

-- ---------------------------------------------------------------------------------------------------
-- Tables of Cisco's delete order (SPEC 6), each keyed by the user whose data it is: OwnerId where a row
-- relates two users (the other user's rows, where the migrating user is MemberId/SubscriberId/DelegateId,
-- belong to that other user and stay), ResourceId where a row belongs to one user.
CREATE TABLE dbo.CachedContainerMember (
    OwnerId           INT            NOT NULL,
    ContainerNum      INT            NOT NULL,
    MemberId          INT            NOT NULL,
    PRIMARY KEY (OwnerId, ContainerNum, MemberId)
);

CREATE TABLE dbo.ContainerMemberUser (
    OwnerId           INT            NOT NULL,
    ContainerNum      INT            NOT NULL,
    MemberId          INT            NOT NULL,
    PRIMARY KEY (OwnerId, ContainerNum, MemberId)
);

CREATE TABLE dbo.PromptedSubscriber (
    OwnerId           INT            NOT NULL,
    SubscriberId      INT            NOT NULL,
    PromptedAt        DATETIME       NOT NULL,
    PRIMARY KEY (OwnerId, SubscriberId)
);

CREATE TABLE dbo.Delegate (
    OwnerId           INT            NOT NULL,
    DelegateId        INT            NOT NULL,
    DelegateType      TINYINT        NOT NULL DEFAULT 0,
    PRIMARY KEY (OwnerId, DelegateId)
);

CREATE TABLE dbo.ConferenceParticipant (
    ConferenceId      INT            NOT NULL,
    EnterpriseId      INT            NOT NULL,
    ParticipantRole   TINYINT        NOT NULL DEFAULT 0,
    PRIMARY KEY (ConferenceId, EnterpriseId)
);

-- Reconstructed, like IX_Contact_BuddyId: a server that removes a user from other users' containers,
-- subscriber lists and delegations, and finds a user's conferences, finds those rows by the user's id in
-- these columns. Invisible to the product (it checks no index); what they change is the cost of the
-- delete's per-user counts (docs/BENCHMARKS.md: the delete with and without them).
CREATE INDEX IX_CachedContainerMember_MemberId ON dbo.CachedContainerMember (MemberId);
CREATE INDEX IX_ContainerMemberUser_MemberId ON dbo.ContainerMemberUser (MemberId);
CREATE INDEX IX_PromptedSubscriber_SubscriberId ON dbo.PromptedSubscriber (SubscriberId);
CREATE INDEX IX_Delegate_DelegateId ON dbo.Delegate (DelegateId);
CREATE INDEX IX_ConferenceParticipant_EnterpriseId ON dbo.ConferenceParticipant (EnterpriseId);

CREATE TABLE dbo.UserPolicy (
    ResourceId        INT            NOT NULL,
    PolicyType        INT            NOT NULL,
    PolicyInstance    UNIQUEIDENTIFIER NULL,
    PRIMARY KEY (ResourceId, PolicyType)
);

CREATE TABLE dbo.ResourcePhone (
    ResourceId        INT            NOT NULL,
    PhoneType         SMALLINT       NOT NULL,
    PhoneUri          NVARCHAR(256)  NOT NULL,
    PRIMARY KEY (ResourceId, PhoneType)
);

CREATE TABLE dbo.RtcItem (
    ItemId            BIGINT         NOT NULL PRIMARY KEY,
    ResourceId        INT            NOT NULL,
    ItemType          INT            NOT NULL,
    ItemData          VARBINARY(MAX) NULL,
    LastModified      DATETIME       NOT NULL
);

CREATE INDEX IX_RtcItem_ResourceId ON dbo.RtcItem (ResourceId);

CREATE TABLE dbo.PUIDDirectory (
    ResourceId        INT            NOT NULL PRIMARY KEY,
    PUID              BIGINT         NOT NULL,
    DeviceId          UNIQUEIDENTIFIER NULL
);

-- Homed data removed by RtcpDeleteHomedResourceTransaction besides the contact tables.
CREATE TABLE dbo.PublishedInstance (
    PublisherId       INT            NOT NULL,
    ContainerNum      INT            NOT NULL,
    CategoryId        INT            NOT NULL,
    InstanceNum       BIGINT         NOT NULL,
    InstanceData      VARBINARY(MAX) NULL,
    LastModified      DATETIME2      NOT NULL,
    PRIMARY KEY (PublisherId, ContainerNum, CategoryId, InstanceNum)
);

-- ---------------------------------------------------------------------------------------------------
-- Stored procedures (names from Cisco's log; parameters and behaviour reconstructed).
--
-- PROCEDURE dbo.RtcpDeleteHomedResourceTransaction (@_ResourceId INT)
-- TOUCHES ContactGroupAssoc(OwnerId), Contact(OwnerId), ContactGroup(OwnerId)
-- TOUCHES Container(OwnerId), PublishedInstance(PublisherId)
-- TOUCHES HomedResource(ResourceId), Endpoint(OwnerId)
--   Deletes the user's own homed data: contact list, groups, containers, published presence.
--   Never the Resource row; never another user's Contact row whose BuddyId is this user.
--   Returns 1 when @_ResourceId is not in Resource, else 0.
--
-- PROCEDURE dbo.RtcpDeleteConferenceParticipantByEnterpriseId (@_EnterpriseId INT)
-- TOUCHES ConferenceParticipant(EnterpriseId)
--   @_EnterpriseId is the user's ResourceId. Returns 0.
